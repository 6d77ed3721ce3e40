package dev.relay.delivery;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A body as one RFC 3030 chunk: {@code BDAT <size> LAST} and then exactly {@code size} bytes,
 * unstuffed. Used for BINARYMIME, which DATA cannot carry. The stream must hold exactly the
 * recorded size: a shorter or longer one fails before the chunk is complete, so the server
 * never takes a truncated message for a whole one.
 */
final class BdatInput implements ChunkedInput<ByteBuf> {

    private final InputStream in;
    private final long size;
    private final byte[] buffer;
    private boolean commandSent;
    private long sent;
    private boolean ended;

    BdatInput(InputStream in, long size) {
        this(in, size, DotStuffingInput.CHUNK);
    }

    BdatInput(InputStream in, long size, int chunkSize) {
        this.in = in;
        this.size = size;
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
        byte[] command = commandSent ? new byte[0] : ("BDAT " + size + " LAST\r\n").getBytes(StandardCharsets.US_ASCII);
        commandSent = true;
        int want = (int) Math.min(buffer.length, size - sent);
        int filled = 0;
        try {
            while (filled < want) {
                int n = in.read(buffer, filled, want - filled);
                if (n < 0) {
                    throw new BodyReadException("the body is shorter than its recorded size of " + size + " bytes");
                }
                filled += n;
            }
            if (sent + filled == size && in.read() >= 0) {
                throw new BodyReadException("the body is longer than its recorded size of " + size + " bytes");
            }
        } catch (BodyReadException e) {
            throw e;
        } catch (IOException e) {
            throw new BodyReadException(e);
        }
        sent += filled;
        ended = sent == size;
        ByteBuf out = allocator.buffer(command.length + filled);
        out.writeBytes(command).writeBytes(buffer, 0, filled);
        return out;
    }

    @Override
    public long length() {
        return size;
    }

    @Override
    public long progress() {
        return sent;
    }
}
