package dev.relay.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The DNSSEC trust anchors validation starts from: DS or DNSKEY records in zone-file format.
 *
 * <p>Built in: the root zone's key-signing keys as DS records, KSK-2017 (key tag 20326) and
 * KSK-2024 (key tag 38696), as IANA publishes them in root-anchors.xml and as Unbound
 * ({@code unbound-anchor}) and BIND ({@code bind.keys}) ship them. Both are carried during the
 * 2024 key's roll-in; a validator trusts a DNSKEY set matching either. An operator replaces them
 * with {@code delivery.dns.trust-anchors} (for a private root, or after a future roll without a
 * relay update); the relay does not follow RFC 5011 rollovers itself.
 *
 * @param text the records, one per line
 * @param source where they came from, for messages: {@code built-in} or the file's path
 */
public record TrustAnchors(String text, String source) {

    private static final String ROOT = """
            ; KSK-2017
            .  IN  DS  20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
            ; KSK-2024
            .  IN  DS  38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
            """;

    /**
     * @throws IllegalArgumentException when the text is not zone-file syntax or holds no DS or
     *     DNSKEY record
     */
    public TrustAnchors {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        List<Record> records = parse(text, source);
        if (records.stream().noneMatch(r -> r.getType() == Type.DS || r.getType() == Type.DNSKEY)) {
            throw new IllegalArgumentException("the DNSSEC trust anchors in " + source
                    + " hold no DS or DNSKEY record, so nothing could ever be validated");
        }
    }

    /** The root's anchors. */
    public static TrustAnchors builtIn() {
        return new TrustAnchors(ROOT, "built-in");
    }

    /**
     * The anchors in a file.
     *
     * @throws IllegalArgumentException when the file cannot be read or holds no anchor
     */
    public static TrustAnchors fromFile(Path file) {
        try {
            return new TrustAnchors(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read the DNSSEC trust anchors " + file + ": no such file", e);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read the DNSSEC trust anchors " + file + ": " + e.getMessage(), e);
        }
    }

    /** The owner names anchored, e.g. {@code .}; for logs and the status page. */
    public List<String> zones() {
        return parse(text, source).stream()
                .filter(r -> r.getType() == Type.DS || r.getType() == Type.DNSKEY)
                .map(r -> r.getName().toString())
                .distinct()
                .toList();
    }

    InputStream stream() {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Record> parse(String text, String source) {
        List<Record> records = new ArrayList<>();
        try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Name.root, 0)) {
            Record r;
            while ((r = master.nextRecord()) != null) {
                records.add(r);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the DNSSEC trust anchors in " + source + " are not zone-file records: "
                    + e.getMessage(), e);
        }
        return records;
    }
}
