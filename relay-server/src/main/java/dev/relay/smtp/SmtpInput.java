package dev.relay.smtp;

/** What {@link SmtpFramer} makes of the byte stream: command lines, or body bytes and their end. */
sealed interface SmtpInput {

    /** A complete command line, CRLF removed, decoded as UTF-8. */
    record CommandLine(String text) implements SmtpInput {}

    /** A command line that was discarded; the client gets a 500 5.5.2. */
    record BadLine(Problem problem) implements SmtpInput {}

    /** Body bytes: for DATA already dot-unstuffed, for BDAT exactly as sent. */
    record BodyChunk(byte[] bytes) implements SmtpInput {}

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
