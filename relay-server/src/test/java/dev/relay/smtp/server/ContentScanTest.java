package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time content scans (dot-unstuffing in the framer, the bare CR/LF check in the
 * receiver, {@link LineBreaks}) against plain byte-by-byte models of the same rules, on random
 * input over the bytes that matter (CR, LF, dot) split at random places. Seeded, so a failure
 * repeats.
 */
class ContentScanTest {
    private static final byte[] ALPHABET = {'.', '\r', '\n', 'a', 'b', (byte) 0xC3};

    // ---- DATA unstuffing

    /** The DATA rules byte by byte on the whole input: the body, and where the terminator ends (-1: none). */
    private record Unstuffed(byte[] body, int end) {}

    private static Unstuffed referenceUnstuff(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int state = 0; // 0 line start, 1 dot, 2 dot CR, 3 text, 4 CR
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            switch (state) {
                case 0 -> {
                    if (b == '.') {
                        state = 1;
                    } else if (b == '\r') {
                        state = 4;
                    } else {
                        out.write(b);
                        state = 3;
                    }
                }
                case 1 -> {
                    if (b == '\r') {
                        state = 2;
                    } else {
                        out.write(b);
                        state = 3;
                    }
                }
                case 2 -> {
                    if (b == '\n') {
                        return new Unstuffed(out.toByteArray(), i + 1);
                    }
                    out.write('\r');
                    if (b == '\r') {
                        state = 4;
                    } else {
                        out.write(b);
                        state = 3;
                    }
                }
                case 3 -> {
                    if (b == '\r') {
                        state = 4;
                    } else {
                        out.write(b);
                    }
                }
                default -> {
                    out.write('\r');
                    if (b == '\n') {
                        out.write('\n');
                        state = 0;
                    } else if (b != '\r') {
                        out.write(b);
                        state = 3;
                    }
                }
            }
        }
        return new Unstuffed(out.toByteArray(), -1);
    }

    private static List<String> frame(byte[] input, Random random) {
        FramerRecorder recorder = new FramerRecorder();
        EmbeddedChannel channel = recorder.behind(new SmtpFramer());
        int at = 0;
        while (at < input.length) {
            int piece = 1 + random.nextInt(Math.min(input.length - at, random.nextBoolean() ? 3 : 64));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, at, at + piece)));
            at += piece;
        }
        assertThat(channel.finish()).isFalse();
        return recorder.seen;
    }

    private static byte[] randomBytes(Random random, int length, byte[] alphabet) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void unstuffingMatchesTheByteByByteRulesWhereverTheInputIsSplit() {
        Random random = new Random(20260521);
        byte[] dataCommand = "DATA\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\r\n.\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 3000; round++) {
            byte[] content = concat(randomBytes(random, random.nextInt(200), ALPHABET), tail);
            Unstuffed expected = referenceUnstuff(content);
            assertThat(expected.end()).isPositive();

            List<String> wanted = new ArrayList<>();
            wanted.add("line:DATA");
            if (expected.body().length > 0) {
                wanted.add("body:" + new String(expected.body(), StandardCharsets.ISO_8859_1));
            }
            wanted.add("end");
            // what follows the terminator is command input again: a fresh framer shows how it reads
            wanted.addAll(frame(Arrays.copyOfRange(content, expected.end(), content.length), random));

            assertThat(frame(concat(dataCommand, content), random))
                    .as("round %d, content %s", round, Arrays.toString(content))
                    .isEqualTo(wanted);
        }
    }

    @Test
    void longTextRunsAreUnstuffedInOnePiece() {
        String line = "x".repeat(5000);
        byte[] input = ("DATA\r\n" + line + "\r\n.." + line + "\r\n.\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(frame(input, new Random(1)))
                .containsExactly("line:DATA", "body:" + line + "\r\n." + line + "\r\n", "end");
    }

    // ---- bare CR / LF check

    private static boolean referenceHasBareLineBreak(byte[] content) {
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n' && (i == 0 || content[i - 1] != '\r')) {
                return true;
            }
            if (content[i] == '\r' && (i + 1 == content.length || content[i + 1] != '\n')) {
                return true;
            }
        }
        return false;
    }

    @Test
    void bareLineBreakCheckMatchesTheByteByByteRuleWhereverTheContentIsSplit() throws Exception {
        Random random = new Random(7);
        byte[] mostlyText = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '\r', '\n'};
        CapturingQueue queue = new CapturingQueue();
        for (int round = 0; round < 3000; round++) {
            byte[] content = random.nextBoolean()
                    ? randomBytes(random, random.nextInt(120), mostlyText)
                    : textWithLines(random);
            MessageReceiver receiver = new MessageReceiver(queue.newDraft(), new byte[0], 0, true, false,
                    Optional.empty(), 0);
            int at = 0;
            while (at < content.length) {
                int piece = 1 + random.nextInt(Math.min(content.length - at, 40));
                // lend a slice of a larger array, as the framer does
                byte[] lent = new byte[piece + 10];
                System.arraycopy(content, at, lent, 5, piece);
                Arrays.fill(lent, 0, 5, (byte) '\n');
                Arrays.fill(lent, 5 + piece, lent.length, (byte) '\r');
                receiver.accept(lent, 5, piece);
                at += piece;
            }
            MessageReceiver.Outcome outcome = receiver.finish();
            receiver.discard();
            if (referenceHasBareLineBreak(content)) {
                assertThat(outcome).as("round %d: %s", round, Arrays.toString(content))
                        .isInstanceOfSatisfying(MessageReceiver.Rejected.class,
                                r -> assertThat(r.reason()).isEqualTo(RejectReason.BARE_LINE_BREAK));
            } else {
                assertThat(outcome).as("round %d: %s", round, Arrays.toString(content))
                        .isInstanceOf(MessageReceiver.Complete.class);
            }
        }
    }

    /** Proper CRLF lines of random length, with now and then one stray CR or LF put in. */
    private static byte[] textWithLines(Random random) {
        StringBuilder text = new StringBuilder();
        for (int line = random.nextInt(6); line >= 0; line--) {
            text.append("y".repeat(random.nextInt(30))).append("\r\n");
        }
        if (random.nextInt(3) == 0 && !text.isEmpty()) {
            text.insert(random.nextInt(text.length()), random.nextBoolean() ? '\r' : '\n');
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    // ---- LineBreaks

    @Test
    void lineBreakSearchFindsTheFirstOneInEveryRange() {
        Random random = new Random(3);
        byte[] alphabet = {'a', '\r', '\n', 0, (byte) 0x8D, (byte) 0x8A, (byte) 0xFF, 0x0C, 0x0E, 0x0B, 0x09};
        for (int round = 0; round < 20000; round++) {
            byte[] bytes = randomBytes(random, random.nextInt(40), random.nextInt(4) == 0 ? alphabet
                    : new byte[] {'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', '\r', '\n'});
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            int to = from + random.nextInt(bytes.length - from + 1);
            int cr = -1;
            int any = -1;
            for (int i = to - 1; i >= from; i--) {
                if (bytes[i] == '\r') {
                    cr = i;
                }
                if (bytes[i] == '\r' || bytes[i] == '\n' || bytes[i] == 0) {
                    any = i;
                }
            }
            assertThat(LineBreaks.indexOfCr(bytes, from, to)).isEqualTo(cr);
            assertThat(LineBreaks.indexOfCrLfOrNul(bytes, from, to)).isEqualTo(any);
        }
    }
}
