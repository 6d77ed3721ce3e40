package dev.relay.delivery;

import dev.relay.outcome.Outcome;
import dev.relay.queue.QueueId;
import dev.relay.smtp.client.SessionInfo;
import dev.relay.tls.CertificateVerdict;
import dev.relay.tls.TlsDetails;
import java.time.Duration;

/**
 * The log line for one recipient of one attempt, in Postfix's shape so that existing log
 * tools (pflogsumm and the like) read it, with the TLS facts appended:
 *
 * <pre>
 * 4F9A1C2B3D: to=&lt;bob@example.com&gt;, relay=mx.example.com[192.0.2.7]:25, conn_use=2, delay=0.42, dsn=2.0.0, status=sent (250 2.0.0 ok: queued as 12345), tls=TLSv1.3/TLS_AES_128_GCM_SHA256, verified=yes, mta-sts=enforce, dane=none
 * 4F9A1C2B3D: to=&lt;eve@example.org&gt;, relay=none, delay=30, dsn=4.4.1, status=deferred (451 4.4.1 connect to mx.example.org[192.0.2.9]:25: connection timed out), tls=none, mta-sts=none, dane=none, cause=connect-failed
 * </pre>
 *
 * {@code relay=none} when no TCP connection was made; {@code conn_use} only from the second
 * message on a connection; {@code verified=no:<RFC 8460 result type>} when the certificate
 * did not verify (whatever the requirement was; under DANE, verified by the TLSA records);
 * {@code mta-sts} the MTA-STS mode that governed the attempt ({@code none} for a host DANE
 * governs); {@code dane} the DANE mode that governed it ({@code verify}: usable TLSA records,
 * {@code encrypt}: only unusable ones, TLS without authentication; {@code none}); {@code cause} the typed cause of a failure (as stored, as the metrics and the
 * DSN read it).
 */
public final class AttemptLog {

    private AttemptLog() {}

    /**
     * @param queueId the message's queue id
     * @param recipient the recipient's address
     * @param session the connection the attempt used
     * @param result the recipient's outcome
     * @param delay from arrival to the end of this attempt
     */
    public static String line(QueueId queueId, String recipient, SessionInfo session, Outcome result, Duration delay) {
        StringBuilder line = new StringBuilder(200);
        line.append(queueId.value()).append(": to=<").append(recipient).append(">, relay=")
                .append(session.connected() ? session.destination().relayName() : "none");
        if (session.connectionUse() > 1) {
            line.append(", conn_use=").append(session.connectionUse());
        }
        line.append(", delay=").append(formatDelay(delay))
                .append(", dsn=").append(dsnCode(result))
                .append(", status=").append(status(result))
                .append(" (").append(result.reply().line()).append(')')
                .append(", tls=").append(session.tls().map(AttemptLog::tls).orElse("none"));
        session.tls().ifPresent(t -> line.append(", verified=").append(verified(t.verdict())));
        return facts(line, result).toString();
    }

    /**
     * The line for a recipient whose attempt ended before any connection, e.g. on a DNS answer:
     * {@code relay=none}, no TLS.
     */
    public static String lineWithoutConnection(QueueId queueId, String recipient, Outcome result, Duration delay) {
        StringBuilder line = new StringBuilder(200).append(queueId.value()).append(": to=<").append(recipient)
                .append(">, relay=none, delay=").append(formatDelay(delay)).append(", dsn=").append(dsnCode(result))
                .append(", status=").append(status(result)).append(" (").append(result.reply().line())
                .append("), tls=none");
        return facts(line, result).toString();
    }

    private static StringBuilder facts(StringBuilder line, Outcome result) {
        line.append(", mta-sts=").append(result.tls().policy().mtaStsMode())
                .append(", dane=").append(result.tls().policy().daneMode());
        switch (result) {
            case Outcome.Delivered d -> { }
            case Outcome.Deferred d -> line.append(", cause=").append(d.cause().label());
            case Outcome.Failed f -> line.append(", cause=").append(f.cause().label());
        }
        return line;
    }

    static String status(Outcome result) {
        return switch (result) {
            case Outcome.Delivered d -> "sent";
            case Outcome.Deferred t -> "deferred";
            case Outcome.Failed p -> "bounced";
        };
    }

    /** The reply's enhanced status, or its class's. */
    static String dsnCode(Outcome result) {
        return result.reply().status().toString();
    }

    /** As Postfix: up to two decimals (no trailing zeros) under ten seconds, whole seconds beyond. */
    static String formatDelay(Duration delay) {
        long millis = Math.max(0, delay.toMillis());
        long hundredths = (millis + 5) / 10; // rounded half up, as %.2f would
        if (hundredths >= 1000) {
            return Long.toString((millis + 500) / 1000);
        }
        long whole = hundredths / 100;
        int fraction = (int) (hundredths % 100);
        if (fraction == 0) {
            return Long.toString(whole);
        }
        return fraction % 10 == 0 ? whole + "." + fraction / 10 : whole + (fraction < 10 ? ".0" : ".") + fraction;
    }

    private static String tls(TlsDetails details) {
        return details.protocol() + "/" + details.cipher();
    }

    private static String verified(CertificateVerdict verdict) {
        return switch (verdict) {
            case CertificateVerdict.Verified v -> "yes";
            case CertificateVerdict.NotVerified n -> "no:" + n.problem().resultType();
        };
    }
}
