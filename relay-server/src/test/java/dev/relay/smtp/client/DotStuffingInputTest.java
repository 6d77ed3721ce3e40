package dev.relay.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.stream.ChunkedInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DotStuffingInputTest {

    static byte[] drain(ChunkedInput<ByteBuf> input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!input.isEndOfInput()) {
            ByteBuf chunk = input.readChunk(ByteBufAllocator.DEFAULT);
            if (chunk == null) {
                break;
            }
            byte[] bytes = new byte[chunk.readableBytes()];
            chunk.readBytes(bytes);
            chunk.release();
            out.write(bytes);
        }
        input.close();
        return out.toByteArray();
    }

    private static String stuff(String body, int chunkSize) throws Exception {
        return new String(drain(new DotStuffingInput(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), chunkSize)),
                StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 16 * 1024})
    void stuffsLeadingDotsWhereverChunksSplit(int chunkSize) throws Exception {
        String body = ".first\r\nsecond\r\n..third\r\n.\r\nfourth .\r\n.";

        assertThat(stuff(body, chunkSize)).isEqualTo("..first\r\nsecond\r\n...third\r\n..\r\nfourth .\r\n..\r\n.\r\n");
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                // name, body, chunk size, what goes on the wire
                arguments("a body ending in CRLF gets just the terminator", "a\r\nb\r\n", 4, "a\r\nb\r\n.\r\n"),
                arguments("a body without a final CRLF gets one", "a\r\nb", 4, "a\r\nb\r\n.\r\n"),
                arguments("a body ending in a lone CR gets a CRLF after it", "a\r", 1, "a\r\r\n.\r\n"),
                arguments("an empty body is just the terminator", "", 8, ".\r\n"),
                arguments("a dot after a bare line feed is stuffed too", "a\n.\r\n", 16, "a\n..\r\n.\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void stuffsAndTerminatesTheBody(String name, String body, int chunkSize, String sent) throws Exception {
        assertThat(stuff(body, chunkSize)).isEqualTo(sent);
    }

    @Test
    void smallBodyAndTerminatorTravelInOneChunk() throws Exception {
        DotStuffingInput input = new DotStuffingInput(new ByteArrayInputStream("hi\r\n".getBytes(StandardCharsets.US_ASCII)));
        ByteBuf chunk = input.readChunk(ByteBufAllocator.DEFAULT);

        assertThat(chunk.toString(StandardCharsets.US_ASCII)).isEqualTo("hi\r\n.\r\n");
        assertThat(input.isEndOfInput()).isTrue();
        assertThat(input.progress()).isEqualTo(4);
        chunk.release();
    }

    @Test
    void readErrorsBecomeBodyReadExceptionsAndCloseClosesTheStream() throws Exception {
        boolean[] closed = {false};
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        DotStuffingInput input = new DotStuffingInput(failing);

        assertThatThrownBy(() -> input.readChunk(ByteBufAllocator.DEFAULT)).isInstanceOf(BodyReadException.class)
                .hasMessageContaining("disk gone");
        input.close();
        assertThat(closed[0]).isTrue();
    }
}
