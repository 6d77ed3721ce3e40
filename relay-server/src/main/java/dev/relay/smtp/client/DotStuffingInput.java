package dev.relay.smtp.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.InputStream;

/**
 * A stored body as DATA content, read from its stream chunk by chunk as the connection takes
 * them: a '.' that begins a line gets a second '.' (RFC 5321 section 4.5.2), bytes otherwise
 * go as they are (stored bodies already end lines in CRLF), and the content ends with
 * CRLF.CRLF (a CRLF is added first when the body does not end with one; an empty body is just
 * ".CRLF"). A line begins after any LF, so that even a stray bare LF cannot turn a stored
 * ".CRLF" into an early end of data.
 * Read errors surface as {@link BodyReadException}.
 */
final class DotStuffingInput extends StoredBodyInput {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] DOT_CRLF = {'.', '\r', '\n'};

    private boolean atLineStart = true;
    private byte last;
    private byte beforeLast;
    private long bodyBytes;

    DotStuffingInput(InputStream in) {
        this(in, CHUNK);
    }

    DotStuffingInput(InputStream in, int chunkSize) {
        super(in, chunkSize);
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws BodyReadException {
        if (ended) {
            return null;
        }
        int filled = fill(buffer.length);
        boolean sourceDone = filled < buffer.length;
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
