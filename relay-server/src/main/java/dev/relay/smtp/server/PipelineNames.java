package dev.relay.smtp.server;

/**
 * Names of the handlers in an SMTP server channel, in pipeline order from the socket inwards:
 *
 * <ol>
 *   <li>{@link #TLS}: the SslHandler. Present from the start on implicit-TLS listeners;
 *       otherwise inserted first by STARTTLS, before the 220 is written.
 *   <li>{@link #IDLE}: IdleStateHandler for the command or data timeout; the session swaps it
 *       when it enters or leaves DATA/BDAT.
 *   <li>{@link #FRAMER}: {@link SmtpFramer}, bytes to command lines or body chunks.
 *   <li>{@link #REPLY_ENCODER}: {@link Reply} to bytes (outbound).
 *   <li>{@link #SESSION}: {@link SessionHandler}, which runs the state machine {@link SmtpSession}.
 * </ol>
 */
final class PipelineNames {
    static final String TLS = "tls";
    static final String IDLE = "idle";
    static final String FRAMER = "framer";
    static final String REPLY_ENCODER = "reply-encoder";
    static final String SESSION = "session";

    private PipelineNames() {}
}
