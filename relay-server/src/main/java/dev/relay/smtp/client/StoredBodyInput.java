package dev.relay.smtp.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.io.InputStream;

/**
 * What the two ways of sending a stored body (DATA and BDAT) share: the stream, one chunk
 * buffer, the end flag, and the {@link ChunkedInput} plumbing. The stream is read on the
 * event loop, as Netty's ChunkedFile does: bodies come from the local spool.
 */
abstract class StoredBodyInput implements ChunkedInput<ByteBuf> {

    static final int CHUNK = 16 * 1024;

    /**
     * The chunk for a body of this size: {@link #CHUNK}, or one byte more than a smaller body, so
     * that it goes in one chunk without a 16 KB buffer per message (one read past the end tells
     * the stream is over).
     */
    static int chunkFor(long bodySize) {
        return (int) Math.min(CHUNK, Math.max(0, bodySize) + 1);
    }

    final InputStream in;
    final byte[] buffer;
    boolean ended;

    StoredBodyInput(InputStream in, int chunkSize) {
        this.in = in;
        this.buffer = new byte[chunkSize];
    }

    /**
     * Reads into {@link #buffer} until {@code want} bytes are there or the stream ends.
     *
     * @return the bytes read; fewer than {@code want} only when the stream ended
     */
    final int fill(int want) throws BodyReadException {
        int filled = 0;
        try {
            while (filled < want) {
                int n = in.read(buffer, filled, want - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
        } catch (IOException e) {
            throw new BodyReadException(e);
        }
        return filled;
    }

    @Override
    public final boolean isEndOfInput() {
        return ended;
    }

    @Override
    public final void close() throws IOException {
        in.close();
    }

    // Netty's deprecated ChunkedInput method: implemented because the interface requires it
    @SuppressWarnings("InlineMeSuggester")
    @Deprecated
    @Override
    public final ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }
}
