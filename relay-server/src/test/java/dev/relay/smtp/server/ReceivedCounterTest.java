package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Counting Received fields however the content is cut into pieces. */
class ReceivedCounterTest {

    private static final String HEADER = "Received: from a by b\r\n"
            + "X-Received: not this one\r\n"
            + "received:from c\r\n"
            + "RECEIVED \t: from d\r\n"
            + "\tReceived: a continuation line, not a field\r\n"
            + "Received-SPF: pass\r\n"
            + "Receivedx: no\r\n"
            + "Subject: Received: in a value\r\n"
            + "Received: from e\r\n"
            + "\r\n"
            + "Received: in the body\r\n";

    private static int count(byte[] content, int... cuts) {
        ReceivedCounter counter = new ReceivedCounter();
        CutContent.feed(content, cuts, counter::feed);
        return counter.count();
    }

    @Test
    void countsFieldsNamedReceivedInTheHeaderSectionOnly() {
        byte[] content = HEADER.getBytes(StandardCharsets.US_ASCII);
        assertThat(count(content)).isEqualTo(4);
    }

    @Test
    void anyCutGivesTheSameCount() {
        byte[] content = HEADER.getBytes(StandardCharsets.US_ASCII);
        for (int first = 0; first <= content.length; first++) {
            for (int second = first; second <= content.length; second += 7) {
                assertThat(count(content, first, second)).as("cut at %d and %d", first, second).isEqualTo(4);
            }
        }
    }

    @Test
    void stopsAtTheEndOfTheHeaderSection() {
        ReceivedCounter counter = new ReceivedCounter();
        byte[] content = "Received: x\r\n\r\nReceived: y\r\n".getBytes(StandardCharsets.US_ASCII);
        counter.feed(content, 0, content.length);
        assertThat(counter.count()).isEqualTo(1);
        assertThat(counter.done()).isTrue();

        ReceivedCounter noHeader = new ReceivedCounter();
        byte[] bodyOnly = "\r\nReceived: y\r\n".getBytes(StandardCharsets.US_ASCII);
        noHeader.feed(bodyOnly, 0, bodyOnly.length);
        assertThat(noHeader.count()).isZero();
    }
}
