package dev.relay.dsn;

import static dev.relay.dsn.FieldText.CRLF;

import dev.relay.queue.BodyType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Turns a {@link DsnMessage} into RFC 5322 message bytes: a multipart/report (RFC 6522) of
 * report-type delivery-status with three parts: the explanation in words, the
 * message/delivery-status report (RFC 3464), and the original (whole, or its header, as
 * {@link ReturnForm} says; message/global and message/global-headers for SMTPUTF8 mail,
 * RFC 6533). CRLF line ends; every line the relay writes stays within 998 octets; the original
 * is streamed through as it was stored, never held in memory.
 *
 * <p>The boundary is 128 random bits: the original is not scanned for it (that would mean
 * reading it twice), and the chance that it contains the boundary is nil.
 */
public final class DsnComposer {

    /** The header section returned in a HEADERS part is cut (at a line end) past this size. */
    static final int HEADER_LIMIT = 256 << 10;
    private static final int MAX_LINE = 998;

    private final DsnSettings settings;
    private final RandomGenerator random;

    public DsnComposer(DsnSettings settings) {
        this(settings, new SecureRandom());
    }

    DsnComposer(DsnSettings settings, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** What the composed DSN is, for its own envelope. */
    public record Composed(String messageId, BodyType bodyType) {
        public Composed {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(bodyType, "bodyType");
        }
    }

    /**
     * Writes the DSN to {@code out}, reading the original from {@code original} (from its first
     * byte; not read at all for {@link ReturnForm#NONE}, only up to its header section for
     * {@link ReturnForm#HEADERS}). Neither stream is closed.
     */
    public Composed compose(DsnMessage message, InputStream original, OutputStream out) throws IOException {
        boolean utf8 = message.international();
        String human = Explanation.text(message);
        String status = message.report().render(utf8);
        boolean globalStatus = utf8 && !FieldText.isAscii(status);
        boolean eightBitOriginal = message.returnsOriginal()
                && (utf8 || message.originalBody() != BodyType.SEVEN_BIT);
        boolean eightBit = eightBitOriginal || !FieldText.isAscii(human) || globalStatus;
        String boundary = "=_dsn_" + hex(16);
        String messageId = "<" + hex(8) + "." + message.date().getEpochSecond() + "@" + settings.hostname() + ">";
        String reportType = globalStatus ? "global-delivery-status" : "delivery-status";

        StringBuilder head = new StringBuilder(1024);
        FieldText.field(head, "Date", FieldText.date(message.date()), false);
        FieldText.field(head, "From", "Mail Delivery System <MAILER-DAEMON@" + settings.hostname() + ">", false);
        FieldText.field(head, "To", "<" + message.to() + ">", utf8);
        FieldText.field(head, "Subject", message.kind().subject(), false);
        FieldText.field(head, "Message-ID", messageId, false);
        // RFC 3834: an automatic reply, so responders and vacation programs leave it alone
        FieldText.field(head, "Auto-Submitted", "auto-replied", false);
        FieldText.field(head, "MIME-Version", "1.0", false);
        head.append("Content-Type: multipart/report; report-type=").append(reportType).append(';').append(CRLF)
                .append("\tboundary=\"").append(boundary).append('"').append(CRLF);
        FieldText.field(head, "Content-Transfer-Encoding", eightBit ? "8bit" : "7bit", false);
        head.append(CRLF)
                .append("This is a delivery status notification in MIME format (RFC 3464).").append(CRLF);

        head.append(CRLF).append("--").append(boundary).append(CRLF);
        boolean asciiText = FieldText.isAscii(human);
        FieldText.field(head, "Content-Type", "text/plain; charset=" + (asciiText ? "us-ascii" : "utf-8"), false);
        FieldText.field(head, "Content-Description", "Notification", false);
        FieldText.field(head, "Content-Transfer-Encoding", asciiText ? "7bit" : "8bit", false);
        head.append(CRLF).append(human);

        head.append(CRLF).append("--").append(boundary).append(CRLF);
        FieldText.field(head, "Content-Type", "message/" + reportType, false);
        FieldText.field(head, "Content-Description", "Delivery report", false);
        FieldText.field(head, "Content-Transfer-Encoding", globalStatus ? "8bit" : "7bit", false);
        head.append(CRLF).append(status);

        if (message.returnsOriginal()) {
            boolean full = message.returned() == ReturnForm.FULL;
            String type = full
                    ? (utf8 ? "message/global" : "message/rfc822")
                    : (utf8 ? "message/global-headers" : "text/rfc822-headers");
            head.append(CRLF).append("--").append(boundary).append(CRLF);
            FieldText.field(head, "Content-Type", type, false);
            FieldText.field(head, "Content-Description", full ? "Undelivered message" : "Undelivered message header",
                    false);
            FieldText.field(head, "Content-Transfer-Encoding", eightBitOriginal ? "8bit" : "7bit", false);
            head.append(CRLF);
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (full) {
                original.transferTo(out);
            } else {
                copyHeader(original, out);
            }
            head.setLength(0);
        }
        // the CRLF before a boundary belongs to the boundary: each part keeps its own last line end
        head.append(CRLF).append("--").append(boundary).append("--").append(CRLF);
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        return new Composed(messageId, eightBit ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT);
    }

    /** The DSN as bytes, for tests and small originals. */
    public byte[] compose(DsnMessage message, InputStream original) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            compose(message, original, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Copies the header section: lines up to the first empty one (excluded), LF made CRLF, a line
     * over 998 octets cut, the whole cut at a line end past {@link #HEADER_LIMIT}. Ends in CRLF.
     */
    static void copyHeader(InputStream in, OutputStream out) throws IOException {
        // one byte beyond the limit is kept, so a CR just before the LF can still be recognised
        byte[] line = new byte[MAX_LINE + 1];
        int length = 0;
        long copied = 0;
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) > 0) {
            for (int i = 0; i < read; i++) {
                byte b = buffer[i];
                if (b != '\n') {
                    if (length < line.length) {
                        line[length++] = b;
                    }
                    continue;
                }
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                if (length == 0) {
                    return; // the empty line: end of the header section
                }
                if (!writeLine(out, line, length, copied)) {
                    return;
                }
                copied += Math.min(length, MAX_LINE) + 2;
                length = 0;
            }
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (length > 0) {
            writeLine(out, line, length, copied);
        }
    }

    private static boolean writeLine(OutputStream out, byte[] line, int length, long copied) throws IOException {
        int kept = Math.min(length, MAX_LINE);
        if (copied + kept + 2 > HEADER_LIMIT) {
            return false;
        }
        out.write(line, 0, kept);
        out.write('\r');
        out.write('\n');
        return true;
    }

    private String hex(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
