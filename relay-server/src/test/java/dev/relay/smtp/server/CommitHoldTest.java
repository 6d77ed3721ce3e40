package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framer's COMMITTING hold: decoding waits, reading goes on until input piles up. */
class CommitHoldTest {

    private static final class Lines extends ChannelInboundHandlerAdapter {
        final List<String> seen = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof SmtpInput.CommandLine line) {
                seen.add(line.text());
            } else {
                seen.add(msg.getClass().getSimpleName());
            }
        }
    }

    @Test
    void readingGoesOnWhileLittleIsBufferedButNothingIsDecoded() {
        Lines lines = new Lines();
        EmbeddedChannel channel = new EmbeddedChannel(new SmtpFramer(), lines);
        SmtpFramer framer = channel.pipeline().get(SmtpFramer.class);

        framer.hold(SmtpFramer.Hold.COMMITTING);
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.writeInbound(Unpooled.copiedBuffer("QUIT\r\n", StandardCharsets.US_ASCII));
        assertThat(lines.seen).isEmpty();
        assertThat(channel.config().isAutoRead()).isTrue();

        framer.release(SmtpFramer.Hold.COMMITTING);
        assertThat(lines.seen).containsExactly("QUIT");
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void readingStopsOncePipelinedInputPilesUpAndResumesOnRelease() {
        Lines lines = new Lines();
        EmbeddedChannel channel = new EmbeddedChannel(new SmtpFramer(), lines);
        SmtpFramer framer = channel.pipeline().get(SmtpFramer.class);

        framer.hold(SmtpFramer.Hold.COMMITTING);
        String noops = "NOOP\r\n".repeat(SmtpFramer.MAX_BUFFERED_WHILE_COMMITTING / 6 + 1);
        channel.writeInbound(Unpooled.copiedBuffer(noops, StandardCharsets.US_ASCII));
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(lines.seen).isEmpty();

        framer.release(SmtpFramer.Hold.COMMITTING);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(lines.seen).hasSize(SmtpFramer.MAX_BUFFERED_WHILE_COMMITTING / 6 + 1).containsOnly("NOOP");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void readingStopsAtExactlyTheLimit() {
        EmbeddedChannel channel = new EmbeddedChannel(new SmtpFramer(), new Lines());
        SmtpFramer framer = channel.pipeline().get(SmtpFramer.class);

        framer.hold(SmtpFramer.Hold.COMMITTING);
        channel.writeInbound(Unpooled.copiedBuffer("x".repeat(SmtpFramer.MAX_BUFFERED_WHILE_COMMITTING - 1), StandardCharsets.US_ASCII));
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.writeInbound(Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII));
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void anotherHoldOnTopStopsReadingAtOnce() {
        Lines lines = new Lines();
        EmbeddedChannel channel = new EmbeddedChannel(new SmtpFramer(), lines);
        SmtpFramer framer = channel.pipeline().get(SmtpFramer.class);

        framer.hold(SmtpFramer.Hold.COMMITTING);
        framer.hold(SmtpFramer.Hold.UNWRITABLE);
        assertThat(channel.config().isAutoRead()).isFalse();
        framer.release(SmtpFramer.Hold.UNWRITABLE);
        assertThat(channel.config().isAutoRead()).isTrue();
        framer.release(SmtpFramer.Hold.COMMITTING);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.finish()).isFalse();
    }
}
