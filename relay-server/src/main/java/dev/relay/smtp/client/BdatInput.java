package dev.relay.smtp.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A body as one RFC 3030 chunk: {@code BDAT <size> LAST} and then exactly {@code size} bytes,
 * unstuffed. Used for BINARYMIME, which DATA cannot carry. The stream must hold exactly the
 * recorded size: a shorter or longer one fails before the chunk is complete, so the server
 * never takes a truncated message for a whole one.
 */
final class BdatInput extends StoredBodyInput {

    private final long size;
    private boolean commandSent;
    private long sent;

    BdatInput(InputStream in, long size) {
        this(in, size, CHUNK);
    }

    BdatInput(InputStream in, long size, int chunkSize) {
        super(in, chunkSize);
        this.size = size;
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws BodyReadException {
        if (ended) {
            return null;
        }
        byte[] command = commandSent ? new byte[0] : ("BDAT " + size + " LAST\r\n").getBytes(StandardCharsets.US_ASCII);
        commandSent = true;
        int want = (int) Math.min(buffer.length, size - sent);
        int filled = fill(want);
        if (filled < want) {
            throw new BodyReadException("the body is shorter than its recorded size of " + size + " bytes");
        }
        if (sent + filled == size && moreAfterTheEnd()) {
            throw new BodyReadException("the body is longer than its recorded size of " + size + " bytes");
        }
        sent += filled;
        ended = sent == size;
        ByteBuf out = allocator.buffer(command.length + filled);
        out.writeBytes(command).writeBytes(buffer, 0, filled);
        return out;
    }

    private boolean moreAfterTheEnd() throws BodyReadException {
        try {
            return in.read() >= 0;
        } catch (IOException e) {
            throw new BodyReadException(e);
        }
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
