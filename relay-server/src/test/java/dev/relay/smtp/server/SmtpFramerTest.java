package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The framer alone, driven by a tiny stand-in session ({@link FramerRecorder}) that switches modes on DATA and BDAT. */
class SmtpFramerTest {

    private static List<String> frame(int maxLine, String... parts) {
        return FramerRecorder.frame(new SmtpFramer(maxLine), List.of(parts)).seen;
    }

    private static List<String> frame(String... parts) {
        return frame(SmtpFramer.MAX_COMMAND_LINE, parts);
    }

    @Test
    void linesSplitMidLineAndMidCrlf() {
        assertThat(frame("EH", "LO a\r", "\nNOOP\r\nQU", "IT\r\n"))
                .containsExactly("line:EHLO a", "line:NOOP", "line:QUIT");
    }

    @Test
    void incompleteLineWaits() {
        assertThat(frame("NOOP")).isEmpty();
        assertThat(frame("NOOP\r")).isEmpty();
    }

    @Test
    void dataEndsOnlyAtCrlfDotCrlfWhereverItIsSplit() {
        String stream = "DATA\r\nab\r\n..c\r\n.\r\nNOOP\r\n";
        for (int cut = 0; cut <= stream.length(); cut++) {
            assertThat(frame(stream.substring(0, cut), stream.substring(cut)))
                    .as("cut at %d", cut)
                    .containsExactly("line:DATA", "body:ab\r\n.c\r\n", "end", "line:NOOP");
        }
    }

    @Test
    void everyByteAlone() {
        String stream = "DATA\r\n.\r\n";
        String[] bytes = stream.split("");
        assertThat(frame(bytes)).containsExactly("line:DATA", "end");
    }

    /** DATA, this content and the terminator frame as one body: the content less its dot-stuffing. */
    private static void assertDataBody(String content, String body) {
        assertThat(frame("DATA\r\n" + content + ".\r\n")).containsExactly("line:DATA", "body:" + body, "end");
    }

    @Test
    void fakeTerminatorsStayInTheBody() {
        assertDataBody("x\n.\nNOOP\r\n", "x\n.\nNOOP\r\n");
        assertDataBody("x\r\n.\ry\r\n", "x\r\n\ry\r\n");
        assertDataBody("x\r.\r\n", "x\r.\r\n");
    }

    @Test
    void aCrInsideALineDoesNotMakeTheNextLfALineEnd() {
        // CR y LF is no CRLF: the dot after it is not at a line start, so ".CRLF" ends nothing
        assertDataBody("x\ry\n.\r\nNOOP\r\n", "x\ry\n.\r\nNOOP\r\n");
        assertDataBody("x\r\ry\n.\r\n", "x\r\ry\n.\r\n");
    }

    @Test
    void aDotAndCrThatEndARead() {
        // CRLF "." CR at the end of a read: the CR is held back until the next byte is known
        assertThat(frame("DATA\r\n.\r", "x\r\n.\r\n")).containsExactly("line:DATA", "body:\rx\r\n", "end");
        assertThat(frame("DATA\r\n.\r", "\r\n.\r\n")).containsExactly("line:DATA", "body:\r\r\n", "end");
        assertThat(frame("DATA\r\nab\r\n.\r", "\nNOOP\r\n")).containsExactly("line:DATA", "body:ab\r\n", "end", "line:NOOP");
    }

    @Test
    void blankLinesBeforeTheTerminatorAreContent() {
        assertThat(frame("DATA\r\nx\r\n\r\n.\r\nNOOP\r\n"))
                .containsExactly("line:DATA", "body:x\r\n\r\n", "end", "line:NOOP");
        assertThat(frame("DATA\r\n\r\n.\r\n")).containsExactly("line:DATA", "body:\r\n", "end");
        assertThat(frame("DATA\r\n\r\n\r\n", ".\r", "\n")).containsExactly("line:DATA", "body:\r\n\r\n", "end");
    }

    @Test
    void chunkTakesExactlyItsOctets() {
        assertThat(frame("BDAT 5\r\n\r\n.\r\nNOOP\r\n"))
                .containsExactly("line:BDAT 5", "body:\r\n.\r\n", "end", "line:NOOP");
        assertThat(frame("BDAT 3\r\na", "b", "cNO", "OP\r\n"))
                .containsExactly("line:BDAT 3", "body:abc", "end", "line:NOOP");
    }

    @Test
    void overLongLinesAreDroppedWithoutBufferingThem() {
        assertThat(frame(16, "0123456789abcdef", "0123456789", "\r\nNOOP\r\n"))
                .containsExactly("bad:TOO_LONG", "line:NOOP");
        // 16 octets including CRLF is the most
        assertThat(frame(16, "0123456789abcd\r\n")).containsExactly("line:0123456789abcd");
        assertThat(frame(16, "0123456789abcde\r\n")).containsExactly("bad:TOO_LONG");
        assertThat(frame(16, "0123456789abcde\r", "\n")).containsExactly("bad:TOO_LONG");
        assertThat(frame(16, "0123456789abcdefghij\r\nNOOP\r\n")).containsExactly("bad:TOO_LONG", "line:NOOP");
    }

    @Test
    void badLines() {
        assertThat(frame("A\0B\r\nNOOP\nRSET\r\nX\rY\r\n"))
                .containsExactly("bad:NUL", "bad:BARE_LINE_BREAK", "line:RSET", "bad:BARE_LINE_BREAK");
    }

    @Test
    void utf8CommandLinesAreDecodedAndInvalidOnesRefused() {
        String u = "\u00c3\u00bc"; // the two UTF-8 octets of a u-umlaut, one char each in ISO-8859-1
        assertThat(frame("RCPT TO:<" + u + "@example.org>\r\n" + u + "\r\n" + u + "x\r\n"))
                .containsExactly("line:RCPT TO:<\u00fc@example.org>", "line:\u00fc", "line:\u00fcx");
        assertThat(frame("RCPT TO:<\u00c3(@example.org>\r\n\u00ff\r\nNOOP\r\n"))
                .containsExactly("bad:NOT_UTF8", "bad:NOT_UTF8", "line:NOOP");
    }

    @Test
    void aChunkHasAtLeastOneOctet() {
        EmbeddedChannel channel = new EmbeddedChannel(new SmtpFramer());
        SmtpFramer framer = channel.pipeline().get(SmtpFramer.class);
        assertThatIllegalArgumentException().isThrownBy(() -> framer.expectChunk(0));
        assertThatIllegalArgumentException().isThrownBy(() -> framer.expectChunk(-1));
        assertThat(channel.finish()).isFalse();
    }

    /** Hands out heap buffers, or direct ones in their place, and keeps them for inspection. */
    private static final class KeepingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> handedOut = new ArrayList<>();
        private final boolean directOnly;

        KeepingAllocator(boolean directOnly) {
            super(false);
            this.directOnly = directOnly;
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf buffer = directOnly ? Unpooled.directBuffer(initialCapacity, maxCapacity)
                    : Unpooled.buffer(initialCapacity, maxCapacity);
            handedOut.add(buffer);
            return buffer;
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return Unpooled.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    private static EmbeddedChannel channelWith(KeepingAllocator allocator, FramerRecorder recorder) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        channel.pipeline().addLast(new SmtpFramer(), recorder);
        return channel;
    }

    @Test
    void worksOnItsOwnHeapBufferWhenTheAllocatorGivesNone() {
        KeepingAllocator allocator = new KeepingAllocator(true);
        FramerRecorder recorder = new FramerRecorder();
        EmbeddedChannel channel = channelWith(allocator, recorder);

        FramerRecorder.read(channel, "DATA\r\nab\r\n.\r\nNOOP\r\n");

        assertThat(recorder.seen).containsExactly("line:DATA", "body:ab\r\n", "end", "line:NOOP");
        assertThat(allocator.handedOut).isNotEmpty().allSatisfy(b -> assertThat(b.refCnt()).as("given back").isZero());
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aLineBreakAtTheVeryStartOfTheBuffersArrayIsFound() {
        // an unpooled buffer's array starts at offset 0: a CR there is at index 0, not "none"
        FramerRecorder recorder = new FramerRecorder();
        EmbeddedChannel channel = channelWith(new KeepingAllocator(false), recorder);

        FramerRecorder.read(channel, "DATA\r\nab");
        FramerRecorder.read(channel, "\r\n.\r\nNOOP\r\n");

        assertThat(recorder.seen).containsExactly("line:DATA", "body:ab\r\n", "end", "line:NOOP");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void givesItsBufferBackWhenRemovedAndKeepsItSmall() {
        KeepingAllocator allocator = new KeepingAllocator(false);
        FramerRecorder recorder = new FramerRecorder();
        EmbeddedChannel channel = channelWith(allocator, recorder);
        ByteBuf buffer = allocator.handedOut.getFirst();

        // 60 KB of commands in 600-octet reads: what was decoded is dropped, not kept
        String reads = "NOOP\r\n".repeat(100);
        for (int i = 0; i < 100; i++) {
            FramerRecorder.read(channel, reads);
        }
        assertThat(recorder.seen).hasSize(10_000);
        assertThat(buffer.capacity()).isLessThanOrEqualTo(4096);

        assertThat(channel.finish()).isFalse();
        assertThat(buffer.refCnt()).isZero();
    }

    @Test
    void heldFramerDecodesNothingUntilReleased() {
        FramerRecorder recorder = new FramerRecorder();
        EmbeddedChannel channel = recorder.behind(new SmtpFramer());
        assertThat(recorder.framer.isHeld()).isFalse();
        recorder.framer.hold(SmtpFramer.Hold.AWAITING_RESULT);
        assertThat(recorder.framer.isHeld()).isTrue();
        assertThat(channel.config().isAutoRead()).isFalse();
        FramerRecorder.read(channel, "NOOP\r\nRSET\r\n");
        assertThat(recorder.seen).isEmpty();
        recorder.framer.release(SmtpFramer.Hold.AWAITING_RESULT);
        assertThat(recorder.framer.isHeld()).isFalse();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(recorder.seen).containsExactly("line:NOOP", "line:RSET");
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void discardBufferedDropsPipelinedBytes() {
        FramerRecorder recorder = new FramerRecorder() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                super.channelRead(ctx, msg);
                if (msg instanceof SmtpInput.CommandLine line && line.text().equals("STARTTLS")) {
                    seen.add("dropped:" + framer.discardBuffered());
                }
            }
        };
        EmbeddedChannel channel = recorder.behind(new SmtpFramer());
        FramerRecorder.read(channel, "STARTTLS\r\nRSET\r\nNO");
        FramerRecorder.read(channel, "OP\r\n");
        // "RSET\r\nNO" was dropped; "OP" arrived later, over what would be TLS
        assertThat(recorder.seen).containsExactly("line:STARTTLS", "dropped:8", "line:OP");
        assertThat(channel.finish()).isFalse();
    }
}
