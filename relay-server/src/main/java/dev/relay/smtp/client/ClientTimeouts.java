package dev.relay.smtp.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the client waits at each stage, after RFC 5321 section 4.5.3.2. The data-block
 * timeout bounds each stretch without progress while the body is sent, not the whole body.
 *
 * @param connect TCP connect
 * @param greeting the 220 greeting
 * @param ehlo each EHLO/HELO reply
 * @param starttls the reply to STARTTLS and then the TLS handshake, each
 * @param mail the MAIL FROM reply
 * @param rcpt each RCPT TO reply
 * @param dataInit the 354 reply to DATA
 * @param dataBlock any stretch of the body transfer without progress
 * @param dataEnd the reply after the final dot (or the last BDAT chunk)
 * @param rset the RSET reply between messages on one connection
 * @param quit the QUIT reply before closing
 */
public record ClientTimeouts(
        Duration connect,
        Duration greeting,
        Duration ehlo,
        Duration starttls,
        Duration mail,
        Duration rcpt,
        Duration dataInit,
        Duration dataBlock,
        Duration dataEnd,
        Duration rset,
        Duration quit) {

    /** RFC 5321's values; 30 s to connect, 5 min for STARTTLS, 20 s for RSET and QUIT (as Postfix). */
    public static final ClientTimeouts DEFAULTS = new ClientTimeouts(
            Duration.ofSeconds(30),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(2),
            Duration.ofMinutes(3),
            Duration.ofMinutes(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(20));

    public ClientTimeouts {
        for (Duration d : new Duration[] {connect, greeting, ehlo, starttls, mail, rcpt, dataInit, dataBlock, dataEnd, rset, quit}) {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + d);
            }
        }
    }

    /** The same timeout everywhere (tests). */
    public static ClientTimeouts uniform(Duration timeout) {
        return new ClientTimeouts(timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout, timeout,
                timeout, timeout);
    }

    /** These timeouts with one stage's changed (tests make one stage tiny). */
    public ClientTimeouts with(Stage stage, Duration timeout) {
        return new ClientTimeouts(
                stage == Stage.CONNECT ? timeout : connect,
                stage == Stage.GREETING ? timeout : greeting,
                stage == Stage.EHLO || stage == Stage.HELO ? timeout : ehlo,
                stage == Stage.STARTTLS || stage == Stage.TLS_HANDSHAKE ? timeout : starttls,
                stage == Stage.MAIL ? timeout : mail,
                stage == Stage.RCPT ? timeout : rcpt,
                stage == Stage.DATA ? timeout : dataInit,
                stage == Stage.BODY ? timeout : dataBlock,
                stage == Stage.DATA_END ? timeout : dataEnd,
                stage == Stage.RSET ? timeout : rset,
                stage == Stage.QUIT ? timeout : quit);
    }

    /** The timeout for the reply (or progress) at this stage. */
    public Duration forStage(Stage stage) {
        return switch (stage) {
            case CONNECT -> connect;
            case GREETING -> greeting;
            case EHLO, HELO -> ehlo;
            case STARTTLS, TLS_HANDSHAKE -> starttls;
            case MAIL -> mail;
            case RCPT -> rcpt;
            case DATA -> dataInit;
            case BODY -> dataBlock;
            case DATA_END -> dataEnd;
            case RSET -> rset;
            case QUIT -> quit;
        };
    }
}
