package dev.relay.tlsrpt;

import static dev.relay.outcome.TestOutcomes.reply;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.outcome.AppliedPolicy;
import dev.relay.outcome.Cause;
import dev.relay.outcome.HostProblem;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.Source;
import dev.relay.outcome.TlsFacts;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which sessions a delivery outcome is counted as. */
class TlsSessionsTest {

    private static final Source MX1 = Source.remote("mx1.example.com", Optional.of("203.0.113.5"));
    private static final TlsFacts VERIFIED = new TlsFacts(AppliedPolicy.MTA_STS_ENFORCE,
            Optional.of(new TlsFacts.Session("TLSv1.3", "TLS_AES_128_GCM_SHA256", true)));
    private static final TlsFacts UNVERIFIED_TESTING = new TlsFacts(AppliedPolicy.MTA_STS_TESTING,
            Optional.of(new TlsFacts.Session("TLSv1.3", "TLS_AES_128_GCM_SHA256", false)));
    private static final TlsFacts OPPORTUNISTIC = new TlsFacts(AppliedPolicy.NONE,
            Optional.of(new TlsFacts.Session("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", false)));

    private static List<TlsSession> sessions(SessionPolicy policy, Outcome outcome) {
        return TlsSessions.fromOutcome("example.com", policy, outcome);
    }

    @Test
    void aDeliveryOverVerifiedTlsIsASuccess() {
        assertThat(sessions(Sessions.STS, new Outcome.Delivered(reply("250 2.0.0 ok"), MX1, VERIFIED)))
                .containsExactly(TlsSession.success("example.com", Sessions.STS));
    }

    @Test
    void aRecipientRefusedAfterGoodTlsIsStillASuccessfulSession() {
        Outcome refused = new Outcome.Failed(reply("550 5.1.1 no such user"), MX1, VERIFIED, Cause.REMOTE_REPLY);
        assertThat(sessions(Sessions.STS, refused)).containsExactly(TlsSession.success("example.com", Sessions.STS));
    }

    @Test
    void aTlsCauseIsAFailureAtTheHostThatGaveIt() {
        Outcome expired = new Outcome.Deferred(reply("451 4.7.5 certificate expired"), MX1,
                TlsFacts.without(AppliedPolicy.MTA_STS_ENFORCE), Cause.CERTIFICATE_EXPIRED);
        assertThat(sessions(Sessions.STS, expired)).containsExactly(TlsSession.failure("example.com", Sessions.STS,
                TlsSession.Failure.of(Cause.CERTIFICATE_EXPIRED).withReceivingMx("mx1.example.com", Optional.of("203.0.113.5"))));
    }

    @Test
    void aPolicyNoHostMetIsOneFailurePerHost() {
        Outcome notMet = new Outcome.Deferred(reply("451 4.7.5 policy not met"), Source.local(),
                TlsFacts.without(AppliedPolicy.MTA_STS_ENFORCE), Cause.STS_POLICY_NOT_MET, List.of(
                        new HostProblem("mx1.example.com", Cause.CERTIFICATE_HOST_MISMATCH, "the certificate is for other.example"),
                        new HostProblem("mx2.example.com", Cause.STARTTLS_NOT_SUPPORTED, "no STARTTLS"),
                        new HostProblem("mx.elsewhere.example", Cause.MX_MISMATCH, "not in the policy"),
                        new HostProblem("mx3.example.com", Cause.CONNECT_FAILED, "connection refused")));
        assertThat(sessions(Sessions.STS, notMet)).extracting(TlsSession::result).containsExactly(
                TlsSession.Failure.of(Cause.CERTIFICATE_HOST_MISMATCH).withReceivingMx("mx1.example.com", Optional.empty()),
                TlsSession.Failure.of(Cause.STARTTLS_NOT_SUPPORTED).withReceivingMx("mx2.example.com", Optional.empty()),
                TlsSession.Failure.of(Cause.VALIDATION_FAILURE).withFailureReasonCode("mx-mismatch")
                        .withReceivingMx("mx.elsewhere.example", Optional.empty()));
    }

    @Test
    void aPolicyThatCouldNotBeHadIsAFetchError() {
        Outcome unavailable = new Outcome.Deferred(reply("451 4.7.5 policy unavailable"), Source.local(), TlsFacts.none(),
                Cause.STS_POLICY_UNAVAILABLE);
        assertThat(sessions(Sessions.STS, unavailable)).extracting(TlsSession::result)
                .containsExactly(TlsSession.Failure.of(Cause.STS_POLICY_FETCH_ERROR));
    }

    @Test
    void aTestingPolicyWithAnUnverifiedCertificateIsAValidationFailure() {
        Outcome delivered = new Outcome.Delivered(reply("250 2.0.0 ok"), MX1, UNVERIFIED_TESTING);
        assertThat(sessions(Sessions.STS_TESTING, delivered)).extracting(TlsSession::result).containsExactly(
                TlsSession.Failure.of(Cause.VALIDATION_FAILURE).withReceivingMx("mx1.example.com", Optional.of("203.0.113.5")));
    }

    @Test
    void withoutAPolicyAnUnverifiedCertificateIsStillASuccess() {
        Outcome delivered = new Outcome.Delivered(reply("250 2.0.0 ok"), MX1, OPPORTUNISTIC);
        assertThat(sessions(SessionPolicy.none(), delivered)).containsExactly(TlsSession.success("example.com", SessionPolicy.none()));
    }

    @Test
    void aDeliveryInPlainTextIsStarttlsNotSupported() {
        Outcome plain = new Outcome.Delivered(reply("250 2.0.0 ok"), MX1, TlsFacts.none());
        assertThat(sessions(SessionPolicy.none(), plain)).extracting(TlsSession::result).containsExactly(
                TlsSession.Failure.of(Cause.STARTTLS_NOT_SUPPORTED).withReceivingMx("mx1.example.com", Optional.of("203.0.113.5")));
    }

    @Test
    void anAttemptWithoutATlsSessionCountsNothing() {
        assertThat(sessions(Sessions.STS, new Outcome.Deferred(reply("451 4.4.1 connection refused"), Source.local(),
                TlsFacts.without(AppliedPolicy.MTA_STS_ENFORCE), Cause.CONNECT_FAILED))).isEmpty();
        assertThat(sessions(SessionPolicy.none(), new Outcome.Deferred(reply("421 4.3.2 busy"), MX1, TlsFacts.none(),
                Cause.SESSION_REFUSED))).isEmpty();
        assertThat(sessions(SessionPolicy.none(), new Outcome.Failed(reply("550 5.1.2 no such domain"), Source.local(),
                TlsFacts.none(), Cause.NO_SUCH_DOMAIN))).isEmpty();
    }

    @Test
    void aFailureNeedsAnRfc8460ResultType() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TlsSession.Failure.of(Cause.CONNECT_FAILED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connect-failed");
    }

    @Test
    void thePolicyTypeOfAnAppliedPolicy() {
        assertThat(PolicyType.of(AppliedPolicy.MTA_STS_ENFORCE)).isEqualTo(PolicyType.STS);
        assertThat(PolicyType.of(AppliedPolicy.MTA_STS_TESTING)).isEqualTo(PolicyType.STS);
        assertThat(PolicyType.of(AppliedPolicy.NONE)).isEqualTo(PolicyType.NO_POLICY_FOUND);
    }
}
