package dev.relay.smtp.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in session for framer tests: records what the framer emits, as text, and switches the
 * framer's mode as a session would: data mode after "DATA", chunk mode after "BDAT n".
 *
 * <p>{@link #seen}: "line:" and the command line, "bad:" and the problem, "body:" and the content
 * (consecutive chunks joined, ISO-8859-1 so every octet is one char), "end". {@link #content}:
 * all content octets, as received.
 */
class FramerRecorder extends ChannelInboundHandlerAdapter {
    final List<String> seen = new ArrayList<>();
    final ByteArrayOutputStream content = new ByteArrayOutputStream();
    SmtpFramer framer;

    /** A framer and a recorder on an EmbeddedChannel, fed {@code reads} one read each. */
    static FramerRecorder frame(SmtpFramer framer, List<String> reads) {
        FramerRecorder recorder = new FramerRecorder();
        EmbeddedChannel channel = recorder.behind(framer);
        for (String read : reads) {
            read(channel, read);
        }
        if (channel.finish()) {
            throw new AssertionError("the framer passed on something that is not input");
        }
        return recorder;
    }

    /** This recorder behind {@code framer} on a new EmbeddedChannel; {@link #framer} is then set. */
    EmbeddedChannel behind(SmtpFramer framer) {
        return new EmbeddedChannel(framer, this);
    }

    /** One read of {@code text}, one octet a char (ISO-8859-1). */
    static void read(EmbeddedChannel channel, String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    /** {@link #seen} without the content: lines, bad lines and ends only. */
    List<String> withoutContent() {
        return seen.stream().filter(event -> !event.startsWith("body:")).toList();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        framer = ctx.pipeline().get(SmtpFramer.class);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch ((SmtpInput) msg) {
            case SmtpInput.CommandLine line -> {
                seen.add("line:" + line.text());
                if (line.text().equals("DATA")) {
                    framer.expectData();
                } else if (line.text().startsWith("BDAT ")) {
                    framer.expectChunk(Long.parseLong(line.text().substring(5)));
                }
            }
            case SmtpInput.BadLine bad -> seen.add("bad:" + bad.problem());
            case SmtpInput.BodyChunk chunk -> {
                // the chunk's array is only lent: use it now
                content.write(chunk.array(), chunk.offset(), chunk.length());
                String text = new String(chunk.array(), chunk.offset(), chunk.length(), StandardCharsets.ISO_8859_1);
                int last = seen.size() - 1;
                if (last >= 0 && seen.get(last).startsWith("body:")) {
                    seen.set(last, seen.get(last) + text);
                } else {
                    seen.add("body:" + text);
                }
            }
            case SmtpInput.BodyEnd end -> seen.add("end");
        }
    }
}
