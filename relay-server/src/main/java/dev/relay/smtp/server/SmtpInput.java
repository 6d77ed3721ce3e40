package dev.relay.smtp.server;

/** What {@link SmtpFramer} makes of the byte stream: command lines, or body bytes and their end. */
sealed interface SmtpInput {

    /** A complete command line, CRLF removed, decoded as UTF-8. */
    record CommandLine(String text) implements SmtpInput {}

    /** A command line that was discarded; the client gets a 500 5.5.2. */
    record BadLine(Problem problem) implements SmtpInput {}

    /**
     * Body bytes {@code array[offset, offset + length)}: for DATA already dot-unstuffed, for
     * BDAT exactly as sent. The array is the framer's input buffer, lent for the duration of
     * the {@code channelRead} call that carries the chunk: use the bytes then, or copy them
     * ({@link #bytes()}), never keep the array.
     */
    @SuppressWarnings("ArrayRecordComponent") // a slice of the read buffer, not copied; never compared
    record BodyChunk(byte[] array, int offset, int length) implements SmtpInput {
        public BodyChunk {
            java.util.Objects.checkFromIndexSize(offset, length, array.length);
        }

        public BodyChunk(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        /** A copy of the chunk's bytes. */
        public byte[] bytes() {
            return java.util.Arrays.copyOfRange(array, offset, offset + length);
        }
    }

    /** End of DATA (the CRLF.CRLF) or of one BDAT chunk. */
    record BodyEnd() implements SmtpInput {}

    enum Problem {
        TOO_LONG,
        NUL,
        /** Line ended in LF without CR, or held a CR that was not followed by LF. */
        BARE_LINE_BREAK,
        NOT_UTF8
    }
}
