package dev.relay.tlsrpt;

import dev.relay.outcome.Cause;
import java.util.List;
import java.util.Optional;

/** Sessions and policies the tlsrpt tests share. */
final class Sessions {

    static final String POLICY_TEXT = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.backup.example.com\r\nmax_age: 86400\r\n";
    static final SessionPolicy STS = SessionPolicy.sts(POLICY_TEXT, List.of("mx1.example.com", "*.backup.example.com"));
    static final SessionPolicy STS_TESTING = SessionPolicy.sts(POLICY_TEXT.replace("enforce", "testing"),
            List.of("mx1.example.com", "*.backup.example.com"));

    /** DANE for one MX host: its TLSA records in presentation form. */
    static final SessionPolicy TLSA_MX1 = SessionPolicy.tlsa("mx1.example.com",
            List.of("3 1 1 " + "ab".repeat(32), "2 0 1 " + "cd".repeat(32)));
    static final SessionPolicy TLSA_MX2 = SessionPolicy.tlsa("MX2.example.com.", List.of("3 1 1 " + "ef".repeat(32)));

    private Sessions() {}

    static TlsSession ok(String domain) {
        return TlsSession.success(domain, STS);
    }

    static TlsSession fail(String domain, Cause cause, String mx, String ip) {
        return TlsSession.failure(domain, STS, TlsSession.Failure.of(cause).withReceivingMx(mx, Optional.of(ip))
                .withSendingMtaIp("192.0.2.25"));
    }
}
