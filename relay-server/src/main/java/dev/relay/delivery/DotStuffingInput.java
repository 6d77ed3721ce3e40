package dev.relay.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stored body as DATA content, read from its stream chunk by chunk as the connection takes
 * them: a '.' that begins a line gets a second '.' (RFC 5321 section 4.5.2), bytes otherwise
 * go as they are (stored bodies already end lines in CRLF), and the content ends with
 * CRLF.CRLF (a CRLF is added first when the body does not end with one; an empty body is just
 * ".CRLF"). A line begins after any LF, so that even a stray bare LF cannot turn a stored
 * ".CRLF" into an early end of data.
 *
 * <p>The stream is read on the event loop, as Netty's ChunkedFile does: bodies come from the
 * local spool. Read errors surface as {@link BodyReadException}.
 */
final class DotStuffingInput implements ChunkedInput<ByteBuf> {

    static final int CHUNK = 16 * 1024;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] DOT_CRLF = {'.', '\r', '\n'};

    private final InputStream in;
    private final byte[] buffer;
    private boolean atLineStart = true;
    private byte last;
    private byte beforeLast;
    private long bodyBytes;
    private boolean ended;

    DotStuffingInput(InputStream in) {
        this(in, CHUNK);
    }

    DotStuffingInput(InputStream in, int chunkSize) {
        this.in = in;
        this.buffer = new byte[chunkSize];
    }

    @Override
    public boolean isEndOfInput() {
        return ended;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws BodyReadException {
        if (ended) {
            return null;
        }
        int filled = 0;
        boolean sourceDone = false;
        try {
            while (filled < buffer.length) {
                int n = in.read(buffer, filled, buffer.length - filled);
                if (n < 0) {
                    sourceDone = true;
                    break;
                }
                filled += n;
            }
        } catch (IOException e) {
            throw new BodyReadException(e);
        }
        // worst case every byte is a line-leading dot: room for that, plus the terminator
        ByteBuf out = allocator.buffer(filled + filled / 16 + 8);
        int from = 0;
        for (int i = 0; i < filled; i++) {
            byte b = buffer[i];
            if (atLineStart && b == '.') {
                out.writeBytes(buffer, from, i - from).writeByte('.');
                from = i;
            }
            atLineStart = b == '\n';
        }
        out.writeBytes(buffer, from, filled - from);
        if (filled > 0) {
            beforeLast = filled > 1 ? buffer[filled - 2] : last;
            last = buffer[filled - 1];
        }
        bodyBytes += filled;
        if (sourceDone) {
            if (bodyBytes > 0 && !(beforeLast == '\r' && last == '\n')) {
                out.writeBytes(CRLF);
            }
            out.writeBytes(DOT_CRLF);
            ended = true;
        }
        return out;
    }

    @Override
    public long length() {
        return -1;
    }

    @Override
    public long progress() {
        return bodyBytes;
    }
}
