package dev.relay.smtp.server;

import dev.relay.queue.MessageDraft;
import dev.relay.queue.SpoolFullException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one message's content into a {@link MessageDraft}: prepends the Received field,
 * counts the size, refuses bare CR or LF and NUL (but for BODY=BINARYMIME) and a message that has
 * looped through too many hops, and on submission listeners adds a missing Date or Message-ID. Content is never held in memory, except the header section on submission
 * listeners (capped at {@link #MAX_HEADER_SECTION}), which is needed to know what is missing.
 *
 * <p>The first failure wins and stops all writing: the rest of the content is counted and
 * dropped, and the draft is discarded at once so the disk space comes back early.
 */
final class MessageReceiver {
    private static final Logger log = LoggerFactory.getLogger(MessageReceiver.class);

    static final int MAX_HEADER_SECTION = 1 << 20;
    private static final byte[] CRLF = {'\r', '\n'};

    /** Fields to add when the header section lacks them (RFC 6409 8.1, 8.3). */
    @SuppressWarnings("ArrayRecordComponent") // header bytes copied into the message as they are; never compared
    record MissingFieldDefaults(byte[] dateField, byte[] messageIdField) {}

    /** The state of the content received so far. */
    sealed interface Outcome {}

    record Complete(long size) implements Outcome {}

    record Rejected(Reply reply, RejectReason reason) implements Outcome {}

    private final MessageDraft draft;
    private final long maxSize;
    private final boolean checkLineBreaks;
    private final boolean terminateLastLine;
    private final Optional<MissingFieldDefaults> defaults;
    private final int maxReceivedFields;
    private final ReceivedCounter hops = new ReceivedCounter();
    private final TlsRequiredField tlsRequired = new TlsRequiredField();
    private byte[] received;
    /** The buffered header section while it is incomplete; null when not buffering. */
    private byte[] header;
    private int headerLength;
    private long size;
    private boolean previousWasCr;
    private int lastByte = -1;
    private Rejected failure;

    /**
     * @param received the Received field, written before everything
     * @param maxSize content size limit in bytes; 0 for none
     * @param checkLineBreaks refuse bare CR or LF, and NUL (off only for BODY=BINARYMIME)
     * @param terminateLastLine end content that lacks a final CRLF with one (BDAT content may)
     * @param defaults when present, buffer the header section and add what is missing
     * @param maxReceivedFields refuse content whose header section has this many Received fields
     *     or more, a mail loop (RFC 5321 6.3); 0 for no limit
     */
    MessageReceiver(
            MessageDraft draft,
            byte[] received,
            long maxSize,
            boolean checkLineBreaks,
            boolean terminateLastLine,
            Optional<MissingFieldDefaults> defaults,
            int maxReceivedFields) {
        this.draft = Objects.requireNonNull(draft, "draft");
        this.received = received; // read only: written to the draft as it is
        this.maxSize = maxSize;
        this.checkLineBreaks = checkLineBreaks;
        this.terminateLastLine = terminateLastLine;
        this.defaults = defaults;
        this.maxReceivedFields = maxReceivedFields;
        if (defaults.isPresent()) {
            header = new byte[4096];
        }
    }

    MessageDraft draft() {
        return draft;
    }

    /** Content bytes accepted so far (what the client sent, unstuffed; not our added fields). */
    long size() {
        return size;
    }

    /** A failure found so far, before the end of the content. */
    Optional<Rejected> failure() {
        return Optional.ofNullable(failure);
    }

    void accept(byte[] bytes) {
        accept(bytes, 0, bytes.length);
    }

    /** Takes {@code bytes[offset, offset + length)}; the array is not kept after the call. */
    void accept(byte[] bytes, int offset, int length) {
        size += length;
        if (failure != null || length == 0) {
            return;
        }
        if (maxSize > 0 && size > maxSize) {
            fail(Replies.MESSAGE_TOO_BIG, RejectReason.MESSAGE_TOO_BIG);
            return;
        }
        if (checkLineBreaks) {
            switch (scan(bytes, offset, offset + length)) {
                case BARE_LINE_BREAK -> {
                    fail(Replies.BARE_LINE_BREAK_IN_DATA, RejectReason.BARE_LINE_BREAK);
                    return;
                }
                case NUL -> {
                    fail(Replies.NUL_IN_DATA, RejectReason.NUL_CHARACTER);
                    return;
                }
                case CLEAN -> { }
            }
        }
        if (maxReceivedFields > 0 && !hops.done()) {
            hops.feed(bytes, offset, length);
            if (hops.count() >= maxReceivedFields) {
                log.info("message {} has {} or more Received fields: a mail loop", draft.id(), maxReceivedFields);
                fail(Replies.TOO_MANY_HOPS, RejectReason.TOO_MANY_HOPS);
                return;
            }
        }
        if (!tlsRequired.done()) {
            tlsRequired.feed(bytes, offset, length);
        }
        lastByte = bytes[offset + length - 1] & 0xff;
        route(bytes, offset, length);
    }

    private void route(byte[] bytes, int offset, int length) {
        if (header != null) {
            bufferHeader(bytes, offset, length);
        } else {
            write(bytes, offset, length);
        }
    }

    /**
     * Whether the header section says {@code TLS-Required: No} (RFC 8689 section 4.2.2), so the
     * envelope can carry it; final after {@link #finish()}.
     */
    boolean tlsRequiredNo() {
        return tlsRequired.found();
    }

    /** Ends the content; on {@link Complete} the draft holds the whole message. */
    Outcome finish() {
        tlsRequired.finish();
        if (failure == null && checkLineBreaks && previousWasCr) {
            fail(Replies.BARE_LINE_BREAK_IN_DATA, RejectReason.BARE_LINE_BREAK);
        }
        if (failure == null && terminateLastLine && lastByte >= 0 && lastByte != '\n') {
            route(CRLF, 0, CRLF.length);
        }
        if (failure == null && header != null) {
            byte[] section = header;
            header = null;
            writeHeaderSection(section, headerLength);
        }
        if (failure == null) {
            writeReceivedIfPending();
        }
        return failure != null ? failure : new Complete(size);
    }

    /** Discards the draft (a no-op once it was committed). */
    void discard() {
        draft.close();
    }

    /** What {@link #scan} found. */
    private enum Scan { CLEAN, BARE_LINE_BREAK, NUL }

    /**
     * Whether {@code bytes[from, to)}, following what came before, holds an LF without a CR
     * before it, a CR without an LF after it, or a NUL (RFC 5321 2.3.8 and RFC 6152 allow NUL
     * only in BINARYMIME content; downstream parsers disagree about it, which makes it a
     * smuggling tool). Only these bytes are looked at: the bytes between them are skipped a word
     * at a time.
     */
    private Scan scan(byte[] bytes, int from, int to) {
        boolean cr = previousWasCr;
        int i = from;
        while (i < to) {
            int at = LineBreaks.indexOfCrLfOrNul(bytes, i, to);
            if (at < 0) {
                if (cr) {
                    return Scan.BARE_LINE_BREAK; // a CR followed by text
                }
                break;
            }
            if (cr && at > i) {
                return Scan.BARE_LINE_BREAK; // a CR followed by text, then a line break
            }
            if (bytes[at] == 0) {
                return Scan.NUL;
            }
            if (bytes[at] == '\n') {
                if (!cr) {
                    return Scan.BARE_LINE_BREAK;
                }
                cr = false;
            } else if (cr) {
                return Scan.BARE_LINE_BREAK; // CR CR
            } else {
                cr = true;
            }
            i = at + 1;
        }
        previousWasCr = cr;
        return Scan.CLEAN;
    }

    private void bufferHeader(byte[] bytes, int offset, int length) {
        // chunks are bounded by one socket read, so the buffer stays near the cap
        int before = headerLength;
        appendHeader(bytes, offset, length);
        int end = endOfHeaderSection(header, headerLength, Math.max(0, before - 3));
        if (end < 0) {
            if (headerLength > MAX_HEADER_SECTION) {
                fail(Replies.HEADER_TOO_BIG, RejectReason.HEADER_TOO_BIG);
            }
            return;
        }
        byte[] section = header;
        int buffered = headerLength;
        header = null;
        writeHeaderSection(section, end);
        write(section, end, buffered - end);
    }

    private void appendHeader(byte[] bytes, int offset, int length) {
        if (headerLength + length > header.length) {
            header = Arrays.copyOf(header, Math.max(header.length * 2, headerLength + length));
        }
        System.arraycopy(bytes, offset, header, headerLength, length);
        headerLength += length;
    }

    /**
     * Where the header section ends: the offset of the empty line that separates it from the
     * body (so the section keeps its last CRLF), or -1 when it has not been seen yet.
     */
    private static int endOfHeaderSection(byte[] section, int length, int from) {
        if (length >= 2 && section[0] == '\r' && section[1] == '\n') {
            return 0;
        }
        for (int i = Math.max(from, 0); i + 3 < length; i++) {
            if (section[i] == '\r' && section[i + 1] == '\n' && section[i + 2] == '\r' && section[i + 3] == '\n') {
                return i + 2;
            }
        }
        return -1;
    }

    private void writeHeaderSection(byte[] section, int length) {
        writeReceivedIfPending();
        write(section, 0, length);
        MissingFieldDefaults fields = defaults.orElseThrow();
        String present = fieldNames(section, length);
        if (!present.contains("\ndate\n")) {
            write(fields.dateField(), 0, fields.dateField().length);
        }
        if (!present.contains("\nmessage-id\n")) {
            write(fields.messageIdField(), 0, fields.messageIdField().length);
        }
    }

    /** The lower-cased names of the fields in the section, each between newlines. */
    private static String fieldNames(byte[] section, int length) {
        StringBuilder names = new StringBuilder("\n");
        int lineStart = 0;
        while (lineStart < length) {
            int lineEnd = lineStart;
            while (lineEnd < length && section[lineEnd] != '\n') {
                lineEnd++;
            }
            byte first = section[lineStart];
            if (first != ' ' && first != '\t') {
                for (int i = lineStart; i < lineEnd; i++) {
                    if (section[i] == ':') {
                        String name = new String(section, lineStart, i - lineStart, StandardCharsets.ISO_8859_1);
                        names.append(name.strip().toLowerCase(Locale.ROOT)).append('\n');
                        break;
                    }
                }
            }
            lineStart = lineEnd + 1;
        }
        return names.toString();
    }

    private void writeReceivedIfPending() {
        if (received != null) {
            byte[] field = received;
            received = null;
            write(field, 0, field.length);
        }
    }

    private void write(byte[] bytes, int offset, int length) {
        if (failure != null) {
            return;
        }
        writeReceivedIfPending();
        if (length == 0) {
            return;
        }
        try {
            draft.write(bytes, offset, length);
        } catch (SpoolFullException e) {
            // a large body streaming to disk met the free-space reserve: try later
            log.warn("writing message {} to the queue failed: {}", draft.id(), e.getMessage());
            fail(Replies.QUEUE_FULL, RejectReason.QUEUE_FULL);
        } catch (IOException | RuntimeException e) {
            log.warn("writing message {} to the queue failed: {}", draft.id(), e.toString());
            fail(Replies.QUEUE_ERROR, RejectReason.QUEUE_ERROR);
        }
    }

    private void fail(Reply reply, RejectReason reason) {
        failure = new Rejected(reply, reason);
        header = null;
        draft.close();
    }
}
