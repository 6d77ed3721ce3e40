package dev.relay.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BdatInputTest {

    @Test
    void oneChunkWithItsCommandAndTheBytesAsTheyAre() throws Exception {
        byte[] body = ".\r\n\u0000binary\r\n.\r\n".getBytes(StandardCharsets.ISO_8859_1);

        byte[] wire = DotStuffingInputTest.drain(new BdatInput(new ByteArrayInputStream(body), body.length, 4));

        assertThat(new String(wire, StandardCharsets.ISO_8859_1)).isEqualTo("BDAT " + body.length + " LAST\r\n"
                + new String(body, StandardCharsets.ISO_8859_1));
    }

    @Test
    void bodyShorterOrLongerThanRecordedFails() {
        byte[] body = "12345".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> DotStuffingInputTest.drain(new BdatInput(new ByteArrayInputStream(body), 6, 4)))
                .isInstanceOf(BodyReadException.class).hasMessageContaining("shorter");
        assertThatThrownBy(() -> DotStuffingInputTest.drain(new BdatInput(new ByteArrayInputStream(body), 4, 16)))
                .isInstanceOf(BodyReadException.class).hasMessageContaining("longer");
    }
}
