package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The word-at-a-time CR, LF and NUL searches agree with a byte loop for any bytes and any range:
 * matches at every offset within and across the eight-byte words, bytes that differ from CR or
 * LF in one bit, and high bytes whose borrow could fake a match.
 */
class LineBreaksPropertyTest {

    /** Any bytes, mixed with CR, LF, their neighbours and high bytes. */
    @Provide
    Arbitrary<byte[]> bytes() {
        Arbitrary<Byte> near = Arbitraries.of((byte) '\r', (byte) '\n', (byte) 9, (byte) 11, (byte) 12, (byte) 14,
                (byte) 0x8d, (byte) 0x8a, (byte) 0x80, (byte) 0xff, (byte) 0, (byte) 'a');
        return Arbitraries.oneOf(near, Arbitraries.bytes()).array(byte[].class).ofMaxSize(40);
    }

    /** The first CR; with {@code lfAndNulToo}, the first CR, LF or NUL. */
    private static int naive(byte[] bytes, int from, int to, boolean lfAndNulToo) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\r' || (lfAndNulToo && (bytes[i] == '\n' || bytes[i] == 0))) {
                return i;
            }
        }
        return -1;
    }

    @Property
    void findsTheFirstCrAndLfAsAByteLoopWould(@ForAll("bytes") byte[] bytes,
            @ForAll @IntRange(max = 40) int a, @ForAll @IntRange(max = 40) int b) {
        int from = Math.min(Math.min(a, b), bytes.length);
        int to = Math.min(Math.max(a, b), bytes.length);

        assertThat(LineBreaks.indexOfCr(bytes, from, to)).isEqualTo(naive(bytes, from, to, false));
        assertThat(LineBreaks.indexOfCrLfOrNul(bytes, from, to)).isEqualTo(naive(bytes, from, to, true));
        assertThat(LineBreaks.indexOfCr(bytes, 0, bytes.length)).isEqualTo(naive(bytes, 0, bytes.length, false));
        assertThat(LineBreaks.indexOfCrLfOrNul(bytes, 0, bytes.length)).isEqualTo(naive(bytes, 0, bytes.length, true));
    }
}
