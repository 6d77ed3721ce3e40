package dev.relay.smtp.client;

/**
 * Where in the SMTP conversation something happened: each stage has its own RFC 5321
 * section 4.5.3.2 timeout and its own words in logs and bounces.
 */
public enum Stage {
    CONNECT("connecting", "connect"),
    GREETING("receiving the initial server greeting", "the greeting"),
    EHLO("performing the EHLO handshake", "EHLO"),
    HELO("performing the HELO handshake", "HELO"),
    STARTTLS("sending STARTTLS", "STARTTLS"),
    TLS_HANDSHAKE("performing the TLS handshake", "the TLS handshake"),
    MAIL("sending MAIL FROM", "MAIL FROM"),
    RCPT("sending RCPT TO", "RCPT TO"),
    DATA("sending DATA", "DATA"),
    BODY("sending the message body", "the message body"),
    DATA_END("waiting for the reply to the end of data", "end of DATA"),
    RSET("sending RSET", "RSET"),
    QUIT("sending QUIT", "QUIT");

    private final String during;
    private final String command;

    Stage(String during, String command) {
        this.during = during;
        this.command = command;
    }

    /** For "lost connection while ...": {@code sending the message body}. */
    public String during() {
        return during;
    }

    /** For "(in reply to ...)": {@code RCPT TO}. */
    public String command() {
        return command;
    }
}
