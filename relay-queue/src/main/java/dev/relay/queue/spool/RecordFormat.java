package dev.relay.queue.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Framing of one record: {@code [magic 4][type 1][length 4][crc32c 4][payload]}, big-endian.
 *
 * <p>The checksum covers type, length and payload, and also the segment number and offset the
 * record was written at. A record is therefore only valid where it was written: when recovery
 * searches a damaged segment for the next good record, a byte sequence that merely looks like
 * a record (say, inside a message body that quotes a spool file) does not pass.
 */
final class RecordFormat {

    static final int HEADER_SIZE = 13;
    static final byte[] MAGIC = {'\n', 'R', 'Q', (byte) 0xA7};

    private RecordFormat() {}

    static int checksum(RecordType type, long segment, long offset, byte[] payload, int from, int length) {
        return checksum(type, segment, offset, payload, from, length, payload, 0, 0);
    }

    /** The checksum of a record whose payload is {@code first[from, +length)} then {@code second[0, secondLength)}. */
    static int checksum(RecordType type, long segment, long offset, byte[] first, int from, int length,
            byte[] second, int secondFrom, int secondLength) {
        CRC32C crc = new CRC32C();
        byte[] position = new byte[21];
        position[0] = type.code;
        putInt(position, 1, length + secondLength);
        putLong(position, 5, segment);
        putLong(position, 13, offset);
        crc.update(position, 0, position.length);
        crc.update(first, from, length);
        if (secondLength > 0) {
            crc.update(second, secondFrom, secondLength);
        }
        return (int) crc.getValue();
    }

    private static void putInt(byte[] out, int at, int value) {
        out[at] = (byte) (value >>> 24);
        out[at + 1] = (byte) (value >>> 16);
        out[at + 2] = (byte) (value >>> 8);
        out[at + 3] = (byte) value;
    }

    private static void putLong(byte[] out, int at, long value) {
        putInt(out, at, (int) (value >>> 32));
        putInt(out, at + 4, (int) value);
    }

    static void putHeader(ByteBuffer out, RecordType type, int length, int checksum) {
        out.put(MAGIC).put(type.code).putInt(length).putInt(checksum);
    }

    /** The header and payload as written at the given position. */
    static ByteBuffer encode(RecordType type, long segment, long offset, byte[] payload) {
        ByteBuffer record = ByteBuffer.allocate(HEADER_SIZE + payload.length);
        putHeader(record, type, payload.length, checksum(type, segment, offset, payload, 0, payload.length));
        return record.put(payload).flip();
    }

    /**
     * Parses a record from {@code bytes[from, from + available)} that was read at {@code offset}
     * of segment {@code segment}. Returns null when no valid record starts there.
     */
    static SpoolRecord parse(byte[] bytes, int from, int available, long segment, long offset) {
        int length = payloadLength(bytes, from, available, segment, offset);
        if (length < 0) {
            return null;
        }
        byte[] payload = new byte[length];
        System.arraycopy(bytes, from + HEADER_SIZE, payload, 0, length);
        return new SpoolRecord(RecordType.ofCode(bytes[from + 4]), new RecordPos(segment, offset, HEADER_SIZE + length),
                payload);
    }

    /** The payload length of the valid record at {@code bytes[from]}, or -1 when none starts there. */
    private static int payloadLength(byte[] bytes, int from, int available, long segment, long offset) {
        if (available < HEADER_SIZE) {
            return -1;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[from + i] != MAGIC[i]) {
                return -1;
            }
        }
        RecordType type = RecordType.ofCode(bytes[from + 4]);
        ByteBuffer header = ByteBuffer.wrap(bytes, from + 5, 8);
        int length = header.getInt();
        int expected = header.getInt();
        if (type == null || length < 0 || length > available - HEADER_SIZE) {
            return -1;
        }
        if (checksum(type, segment, offset, bytes, from + HEADER_SIZE, length) != expected) {
            return -1;
        }
        return length;
    }

    /** Reads the record at a known position; fails unless it is exactly there and intact. */
    static SpoolRecord read(FileChannel channel, RecordPos pos) throws IOException {
        byte[] bytes = readInPlace(channel, pos);
        byte[] payload = new byte[pos.length() - HEADER_SIZE];
        System.arraycopy(bytes, HEADER_SIZE, payload, 0, payload.length);
        return new SpoolRecord(RecordType.ofCode(bytes[4]), pos, payload);
    }

    /**
     * As {@link #read}, without copying the payload out: the record's bytes as they lie in the
     * file, checked; the payload starts at {@link #HEADER_SIZE}.
     */
    static byte[] readInPlace(FileChannel channel, RecordPos pos) throws IOException {
        byte[] bytes = new byte[pos.length()];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long at = pos.offset();
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new CorruptRecordException("segment " + pos.segment() + " ends inside the record at " + pos.offset());
            }
            at += n;
        }
        if (payloadLength(bytes, 0, bytes.length, pos.segment(), pos.offset()) != pos.length() - HEADER_SIZE) {
            throw new CorruptRecordException("no intact record in segment " + pos.segment() + " at " + pos.offset());
        }
        return bytes;
    }
}
