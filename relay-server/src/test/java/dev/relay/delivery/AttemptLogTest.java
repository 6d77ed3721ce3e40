package dev.relay.delivery;

import dev.relay.smtp.client.ConnectionFailure;
import dev.relay.smtp.client.Destination;
import dev.relay.smtp.client.Extensions;
import dev.relay.smtp.client.SessionInfo;
import dev.relay.smtp.client.TransactionOutcome;

import dev.relay.outcome.TlsFacts;
import dev.relay.outcome.Source;
import dev.relay.outcome.TestOutcomes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.outcome.Outcome;
import dev.relay.queue.QueueId;
import dev.relay.tls.CertificateVerdict;
import dev.relay.tls.TlsDetails;
import dev.relay.tls.TlsProblem;
import dev.relay.tls.TlsRequirement;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttemptLogTest {

    private static final QueueId ID = new QueueId("4F9A1C2B3D");
    private static final Destination MX = new Destination("mx.example.com",
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 25), TlsRequirement.OPPORTUNISTIC);

    private static TlsDetails tls(CertificateVerdict verdict) {
        return new TlsDetails("TLSv1.3", "TLS_AES_128_GCM_SHA256", Optional.empty(), Optional.empty(), Optional.empty(), verdict);
    }

    @Test
    void sentOverVerifiedTlsOnAReusedConnection() {
        SessionInfo session = new SessionInfo(MX, true, Optional.of(tls(CertificateVerdict.verified())), Extensions.NONE, 2);
        Outcome sent = TestOutcomes.delivered("250 2.0.0 ok: queued as 12345");

        assertThat(AttemptLog.line(ID, "bob@example.com", session, sent, Duration.ofMillis(420))).isEqualTo(
                "4F9A1C2B3D: to=<bob@example.com>, relay=mx.example.com[127.0.0.1]:25, conn_use=2, delay=0.42, dsn=2.0.0, "
                        + "status=sent (250 2.0.0 ok: queued as 12345), tls=TLSv1.3/TLS_AES_128_GCM_SHA256, verified=yes, mta-sts=none, dane=none");
    }

    @Test
    void bouncedOverUnverifiedTls() {
        SessionInfo session = new SessionInfo(MX, true,
                Optional.of(tls(CertificateVerdict.failed(TlsProblem.CERTIFICATE_HOST_MISMATCH, "x"))), Extensions.NONE, 1);
        Outcome bounced = TestOutcomes.fromServer("550 5.1.1 no such user",
                Source.remote("mx.example.com", Optional.of("127.0.0.1")));

        assertThat(AttemptLog.line(ID, "eve@example.com", session, bounced, Duration.ofSeconds(75))).isEqualTo(
                "4F9A1C2B3D: to=<eve@example.com>, relay=mx.example.com[127.0.0.1]:25, delay=75, dsn=5.1.1, "
                        + "status=bounced (550 5.1.1 no such user), tls=TLSv1.3/TLS_AES_128_GCM_SHA256, verified=no:certificate-host-mismatch, mta-sts=none, dane=none, cause=remote-reply");
    }

    @Test
    void deferredWithoutAConnection() {
        ConnectionFailure refused = new ConnectionFailure.ConnectFailed("Connection refused", false);
        SessionInfo session = new SessionInfo(MX, false, Optional.empty(), Extensions.NONE, 0);

        assertThat(AttemptLog.line(ID, "bob@example.com", session, Verdicts.connectionFailed(refused, MX, TlsFacts.none()),
                Duration.ofMillis(3))).isEqualTo(
                "4F9A1C2B3D: to=<bob@example.com>, relay=none, delay=0, dsn=4.4.1, "
                        + "status=deferred (451 4.4.1 connect to mx.example.com[127.0.0.1]:25: Connection refused), tls=none, mta-sts=none, dane=none, cause=connect-failed");
    }

    /** Up to two decimals (rounded half up, no trailing zeros) under ten seconds, whole seconds beyond. */
    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
        "1200, 1.2",
        "9999, 10",
        "130, 0.13",
        "7200000, 7200",
        "0, 0",
        "4, 0",
        "5, 0.01",
        "50, 0.05",
        "1000, 1",
        "10499, 10",
        "10500, 11",
    })
    void delaysAsPostfixWritesThem(long millis, String written) {
        assertThat(AttemptLog.formatDelay(Duration.ofMillis(millis))).isEqualTo(written);
    }

    @Test
    void dsnCodeFallsBackToTheClass() {
        assertThat(AttemptLog.dsnCode(TestOutcomes.deferred("421 closing"))).isEqualTo("4.0.0");
        assertThat(AttemptLog.dsnCode(TestOutcomes.failed("550 5.7.1 no"))).isEqualTo("5.7.1");
        assertThat(AttemptLog.dsnCode(TestOutcomes.deferred("451 4.4.1"))).isEqualTo("4.4.1");
        assertThat(AttemptLog.dsnCode(TestOutcomes.failed("556 5.1.10 null MX"))).isEqualTo("5.1.10");
        assertThat(AttemptLog.dsnCode(TestOutcomes.delivered("250 2.0.0"))).isEqualTo("2.0.0");
        assertThat(AttemptLog.dsnCode(TestOutcomes.delivered("250"))).isEqualTo("2.0.0");
        assertThat(AttemptLog.dsnCode(TestOutcomes.failed("550 5.1 short"))).isEqualTo("5.0.0");
        assertThat(AttemptLog.dsnCode(TestOutcomes.failed("550 5.1.1234 long"))).isEqualTo("5.0.0");
        assertThat(AttemptLog.dsnCode(TestOutcomes.failed("550 x.1.1 text"))).isEqualTo("5.0.0");
        assertThat(AttemptLog.dsnCode(TestOutcomes.failed("550 5..1 dots"))).isEqualTo("5.0.0");
    }
}
