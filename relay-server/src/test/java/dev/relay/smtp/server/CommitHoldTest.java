package dev.relay.smtp.server;

import static dev.relay.smtp.server.FramerRecorder.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** The framer's COMMITTING hold: decoding waits, reading goes on until input piles up. */
class CommitHoldTest {

    /** A framer and what it decodes, new for each test (JUnit makes a new instance per test). */
    private final FramerRecorder lines = new FramerRecorder();
    private final EmbeddedChannel channel = lines.behind(new SmtpFramer());

    @Test
    void readingGoesOnWhileLittleIsBufferedButNothingIsDecoded() {
        lines.framer.hold(SmtpFramer.Hold.COMMITTING);
        assertThat(channel.config().isAutoRead()).isTrue();
        read(channel, "QUIT\r\n");
        assertThat(lines.seen).isEmpty();
        assertThat(channel.config().isAutoRead()).isTrue();

        lines.framer.release(SmtpFramer.Hold.COMMITTING);
        assertThat(lines.seen).containsExactly("line:QUIT");
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void readingStopsOncePipelinedInputPilesUpAndResumesOnRelease() {
        lines.framer.hold(SmtpFramer.Hold.COMMITTING);
        read(channel, "NOOP\r\n".repeat(SmtpFramer.MAX_BUFFERED_WHILE_COMMITTING / 6 + 1));
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(lines.seen).isEmpty();

        lines.framer.release(SmtpFramer.Hold.COMMITTING);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(lines.seen).hasSize(SmtpFramer.MAX_BUFFERED_WHILE_COMMITTING / 6 + 1).containsOnly("line:NOOP");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void readingStopsAtExactlyTheLimit() {
        lines.framer.hold(SmtpFramer.Hold.COMMITTING);
        read(channel, "x".repeat(SmtpFramer.MAX_BUFFERED_WHILE_COMMITTING - 1));
        assertThat(channel.config().isAutoRead()).isTrue();
        read(channel, "x");
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void anotherHoldOnTopStopsReadingAtOnce() {
        lines.framer.hold(SmtpFramer.Hold.COMMITTING);
        lines.framer.hold(SmtpFramer.Hold.UNWRITABLE);
        assertThat(channel.config().isAutoRead()).isFalse();
        lines.framer.release(SmtpFramer.Hold.UNWRITABLE);
        assertThat(channel.config().isAutoRead()).isTrue();
        lines.framer.release(SmtpFramer.Hold.COMMITTING);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.finish()).isFalse();
    }
}
