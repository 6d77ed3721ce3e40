package dev.relay.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

class TrustAnchorsTest {

    @TempDir
    Path dir;

    @Test
    void theBuiltInAnchorsAreTheRootsTwoKeySigningKeys() throws IOException {
        List<DSRecord> ds = new ArrayList<>();
        try (Master master = new Master(TrustAnchors.builtIn().stream(), Name.root, 0)) {
            Record r;
            while ((r = master.nextRecord()) != null) {
                ds.add((DSRecord) r);
            }
        }

        assertThat(ds).extracting(DSRecord::getFootprint).containsExactly(20326, 38696);
        assertThat(ds).allSatisfy(r -> {
            assertThat(r.getName()).isEqualTo(Name.root);
            assertThat(r.getAlgorithm()).isEqualTo(8); // RSA/SHA-256
            assertThat(r.getDigestID()).isEqualTo(2); // SHA-256
            assertThat(r.getDigest()).hasSize(32);
        });
        assertThat(TrustAnchors.builtIn().zones()).containsExactly(".");
    }

    @Test
    void aFileReplacesThem() throws IOException {
        Path file = Files.writeString(dir.resolve("anchors"),
                "; a private root\nexample.test. IN DS 12345 13 2 " + "ab".repeat(32) + "\n");

        TrustAnchors anchors = TrustAnchors.fromFile(file);

        assertThat(anchors.zones()).containsExactly("example.test.");
        assertThat(anchors.source()).isEqualTo(file.toString());
    }

    @Test
    void aFileWithoutAnchorsOrUnreadableIsRefusedInWords() throws IOException {
        Path none = Files.writeString(dir.resolve("none"), "example.test. 300 IN A 192.0.2.1\n");

        assertThatThrownBy(() -> TrustAnchors.fromFile(none)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the DNSSEC trust anchors in " + none + " hold no DS or DNSKEY record, so nothing could ever be validated");
        assertThatThrownBy(() -> TrustAnchors.fromFile(dir.resolve("missing"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read the DNSSEC trust anchors " + dir.resolve("missing"));
    }
}
