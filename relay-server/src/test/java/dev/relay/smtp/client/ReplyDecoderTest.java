package dev.relay.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplyDecoderTest {

    private final ReplyDecoder decoder = new ReplyDecoder();
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    private void feed(String... parts) {
        for (String part : parts) {
            channel.writeInbound(Unpooled.copiedBuffer(part, StandardCharsets.UTF_8));
        }
    }

    private SmtpReply next() {
        Object reply = channel.readInbound();
        assertThat(reply).isInstanceOf(SmtpReply.class);
        return (SmtpReply) reply;
    }

    private void assertNothingLeft() {
        assertThat(channel.finish()).isFalse();
        assertThat(channel.<Object>readInbound()).isNull();
    }

    @Test
    void singleLineWithEnhancedStatus() {
        feed("250 2.1.0 sender ok\r\n");

        assertThat(next()).isEqualTo(new SmtpReply(250, Optional.of("2.1.0"), List.of("2.1.0 sender ok")));
        assertNothingLeft();
    }

    @Test
    void multiLineReplySplitAnywhere() {
        feed("250-mx.test gre", "ets you\r\n250-PIPE", "LINING\r", "\n250-SIZE 1000\r\n25", "0 8BITMIME\r\n");

        SmtpReply reply = next();
        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.lines()).containsExactly("mx.test greets you", "PIPELINING", "SIZE 1000", "8BITMIME");
        assertNothingLeft();
    }

    @Test
    void severalRepliesInOneRead() {
        feed("250 2.1.0 ok\r\n550 5.1.1 no such user\r\n354 go ahead\r\n");

        assertThat(next().code()).isEqualTo(250);
        assertThat(next().text()).isEqualTo("550 5.1.1 no such user");
        assertThat(next().code()).isEqualTo(354);
        assertNothingLeft();
    }

    @Test
    void bareCodeAndBareLfAreTolerated() {
        feed("250\n", "220 ready\n");

        assertThat(next().lines()).containsExactly("");
        assertThat(next().lines()).containsExactly("ready");
        assertNothingLeft();
    }

    @Test
    void controlCharactersInTextAreReplaced() {
        feed("550 5.1.1 bad\u0007bell\u001b[31m\r\n");

        assertThat(next().text()).isEqualTo("550 5.1.1 bad?bell?[31m");
    }

    @Test
    void malformedLinesAreProtocolErrors() {
        assertThatThrownBy(() -> feed("hello there\r\n")).isInstanceOf(DecoderException.class);
        assertThatThrownBy(() -> new EmbeddedChannel(new ReplyDecoder())
                .writeInbound(Unpooled.copiedBuffer("250x no separator\r\n", StandardCharsets.US_ASCII)))
                .isInstanceOf(DecoderException.class);
        assertThatThrownBy(() -> new EmbeddedChannel(new ReplyDecoder())
                .writeInbound(Unpooled.copiedBuffer("199 too low\r\n", StandardCharsets.US_ASCII)))
                .isInstanceOf(DecoderException.class);
    }

    @Test
    void codeMustStayTheSameWithinAReply() {
        assertThatThrownBy(() -> feed("250-first\r\n550 second\r\n"))
                .isInstanceOf(DecoderException.class).hasMessageContaining("changed");
    }

    @Test
    void overlongLineIsRefusedBeforeItsEnd() {
        assertThatThrownBy(() -> feed("250 " + "x".repeat(ReplyDecoder.MAX_LINE + 10)))
                .isInstanceOf(DecoderException.class).hasMessageContaining("longer than");
    }

    @Test
    void endlessMultiLineReplyIsRefused() {
        assertThatThrownBy(() -> feed("250-x\r\n".repeat(ReplyDecoder.MAX_LINES + 1)))
                .isInstanceOf(DecoderException.class).hasMessageContaining("lines");
    }

    @Test
    void everythingAfterTheStarttlsGrantIsDiscardedUntilTlsIsUp() {
        decoder.expectTlsGrant();
        feed("220 2.0.0 ready to start TLS\r\n250 2.0.0 injected\r\n", "554 5.7.1 also injected\r\n");

        assertThat(next().code()).isEqualTo(220);
        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(decoder.discardedBytes()).isEqualTo("250 2.0.0 injected\r\n554 5.7.1 also injected\r\n".length());

        decoder.tlsEstablished();
        feed("250 mx.test over TLS\r\n");
        assertThat(next().lines()).containsExactly("mx.test over TLS");
        assertNothingLeft();
    }

    @Test
    void refusedStarttlsKeepsDecoding() {
        decoder.expectTlsGrant();
        feed("454 4.7.0 not now\r\n250 2.1.0 next reply\r\n");

        assertThat(next().code()).isEqualTo(454);
        assertThat(next().code()).isEqualTo(250);
        assertNothingLeft();
    }
}
