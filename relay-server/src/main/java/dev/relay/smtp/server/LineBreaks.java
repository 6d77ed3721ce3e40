package dev.relay.smtp.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds CR and LF in message content eight bytes at a time. Every accepted message passes
 * through these searches twice (dot-unstuffing, then the bare CR/LF and NUL check), and in mail text
 * line breaks are one byte in sixty or so, so skipping the bytes in between by words rather
 * than one by one is most of the work saved.
 *
 * <p>The word test is the classic "has a zero byte" trick on {@code word XOR pattern}: the
 * lowest flagged byte is exact (a borrow can only flag bytes above a real match), so the
 * first match is found without a byte loop.
 */
final class LineBreaks {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long CRS = ONES * '\r';
    private static final long LFS = ONES * '\n';

    private LineBreaks() {}

    /** The index of the first CR in {@code bytes[from, to)}, or -1. */
    static int indexOfCr(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long match = zeroBytes((long) LONGS.get(bytes, i) ^ CRS);
            if (match != 0) {
                return i + (Long.numberOfTrailingZeros(match) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first CR, LF or NUL in {@code bytes[from, to)}, or -1. */
    static int indexOfCrLfOrNul(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = (long) LONGS.get(bytes, i);
            long match = zeroBytes(word ^ CRS) | zeroBytes(word ^ LFS) | zeroBytes(word);
            if (match != 0) {
                return i + (Long.numberOfTrailingZeros(match) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte b = bytes[i];
            if (b == '\r' || b == '\n' || b == 0) {
                return i;
            }
        }
        return -1;
    }

    /** High bit set in (at least) the lowest byte of {@code word} that is zero; 0 when none is. */
    private static long zeroBytes(long word) {
        return (word - ONES) & ~word & HIGHS;
    }
}
