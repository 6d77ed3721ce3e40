package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Finding {@code TLS-Required: No} in the header section, however the content is cut into pieces. */
class TlsRequiredFieldTest {

    private static boolean found(String content, int... cuts) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TlsRequiredField field = new TlsRequiredField();
        CutContent.feed(bytes, cuts, field::feed);
        field.finish();
        return field.found();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "TLS-Required: No\r\n",
        "tls-required: no\r\n",
        "TLS-REQUIRED:No\r\n",
        "TLS-Required \t: No  \r\n",
        "TLS-Required:\r\n No\r\n",
        "TLS-Required: \r\n\tno \r\n"})
    void theFieldSaysNo(String field) {
        String content = "From: a@example.com\r\n" + field + "Subject: hi\r\n\r\nbody\r\n";
        assertThat(found(content)).as(field).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Subject: hi\r\n\r\nTLS-Required: No\r\n",                 // in the body
        "Subject: TLS-Required: No\r\n\r\nbody\r\n",               // in another field's value
        "X-TLS-Required: No\r\n\r\n",                             // another field
        "TLS-Required-Not: No\r\n\r\n",                           // another field
        "TLS-Required: Yes\r\n\r\n",                              // not a waiver
        "TLS-Required: No thanks\r\n\r\n",                        // not exactly No
        "TLS-Required: Nope\r\n\r\n",
        "Subject: hi\r\n TLS-Required: No\r\n\r\n",               // a continuation of Subject
        "TLS-Required:                                           No\r\n\r\n"}) // too long to be a plain No
    void nothingElseCounts(String content) {
        assertThat(found(content)).as(content).isFalse();
    }

    @Test
    void aHeaderSectionWithoutBodyOrEmptyLineStillCounts() {
        assertThat(found("Subject: hi\r\nTLS-Required: No")).isTrue();
    }

    @Test
    void anyCutFindsIt() {
        String content = "Received: from a\r\nSubject: x\r\n\tfolded\r\nTLS-Required:\r\n  No\r\nTo: b\r\n\r\nbody\r\n";
        int length = content.length();
        for (int first = 0; first <= length; first++) {
            for (int second = first; second <= length; second += 5) {
                assertThat(found(content, first, second)).as("cut at %d and %d", first, second).isTrue();
            }
        }
    }
}
