package dev.relay.smtp.client;

import static dev.relay.delivery.testkit.TestMessages.message;
import static dev.relay.smtp.client.ClientFixture.CA;
import static dev.relay.smtp.client.ClientFixture.concluded;
import static dev.relay.smtp.client.ClientFixture.destination;
import static dev.relay.smtp.client.ClientFixture.failed;
import static dev.relay.smtp.client.ClientFixture.outcomes;
import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.delivery.Verdicts;
import dev.relay.delivery.testkit.TestMx.Command;
import dev.relay.delivery.testkit.TestMx.Verb;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.outcome.Cause;
import dev.relay.outcome.EnhancedStatus;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.TestOutcomes;
import dev.relay.tls.CertificateVerdict;
import dev.relay.tls.TlsDetails;
import dev.relay.tls.TlsProblem;
import dev.relay.tls.TlsRequirement;
import dev.relay.tls.testkit.TestCertificates;
import io.netty.handler.ssl.SslProvider;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** STARTTLS, the three TLS requirements and the certificate verdicts, with each TLS provider. */
class ClientTlsTest {

    private static final Map<SslProvider, SmtpClient> CLIENTS = new EnumMap<>(SslProvider.class);
    private static final TestCertificates.Issued GOOD = CA.issue("a.mx.test");
    private static final TestCertificates.Issued WRONG_NAME = CA.issue("other.test");
    private static final TestCertificates.Issued EXPIRED = CA.leaf("a.mx.test").expired().issue();
    private static final TestCertificates.Issued SELF_SIGNED = TestCertificates.selfSigned("a.mx.test").issue();
    private static final TestCertificates.Issued WILDCARD = CA.issue("*.mx.test");

    static List<SslProvider> providers() {
        return ClientFixture.providers();
    }

    private static synchronized SmtpClient client(SslProvider provider) {
        return CLIENTS.computeIfAbsent(provider, p -> ClientFixture.client(p, ClientTimeouts.uniform(ClientFixture.WAIT)));
    }

    @AfterAll
    static void stopClients() {
        CLIENTS.values().forEach(SmtpClient::close);
    }

    private static TransactionOutcome deliver(SslProvider provider, TestMx mx, String mxHost, TlsRequirement tls) {
        return result(client(provider).deliver(destination(mxHost, mx.address(), tls),
                message("a@relay.test", "Subject: tls\r\n\r\nover TLS\r\n", "b@mx.test")));
    }

    /** {@link #deliver} to a.mx.test, which must end in the message delivered. */
    private static TransactionOutcome delivered(SslProvider provider, TestMx mx, TlsRequirement tls) {
        TransactionOutcome outcome = deliver(provider, mx, "a.mx.test", tls);
        assertThat(outcomes(concluded(outcome)).getFirst()).isInstanceOf(Outcome.Delivered.class);
        return outcome;
    }

    private static CertificateVerdict.NotVerified notVerified(TlsDetails details) {
        assertThat(details.verdict()).isInstanceOf(CertificateVerdict.NotVerified.class);
        return (CertificateVerdict.NotVerified) details.verdict();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void opportunisticTakesAnyCertificateAndRecordsTheVerdict(SslProvider provider) {
        try (TestMx mx = TestMx.builder().starttls(SELF_SIGNED).start()) {
            TransactionOutcome outcome = delivered(provider, mx, TlsRequirement.OPPORTUNISTIC);

            TlsDetails tls = outcome.session().tls().orElseThrow();
            assertThat(tls.verified()).isFalse();
            assertThat(notVerified(tls).problem()).isEqualTo(TlsProblem.CERTIFICATE_NOT_TRUSTED);
            assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().tls()).isTrue();
            assertThat(mx.commands("MAIL")).allMatch(Command::tls);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void requiredFailsWhenStarttlsIsNotOffered(SslProvider provider) {
        try (TestMx mx = TestMx.builder().extensions("PIPELINING").start()) {
            TransactionOutcome.Failed outcome = failed(deliver(provider, mx, "a.mx.test", TlsRequirement.REQUIRED));

            assertThat(outcome.failure()).isEqualTo(new ConnectionFailure.StartTlsUnavailable(Optional.empty()));
            assertThat(outcome.failure().tlsProblem()).contains(TlsProblem.STARTTLS_NOT_SUPPORTED);
            assertThat(outcomes(outcome).getFirst()).isEqualTo(TestOutcomes.deferred(
                    "451 4.7.4 TLS is required, but STARTTLS was not offered by host a.mx.test[127.0.0.1]:" + mx.port(),
                    Cause.STARTTLS_NOT_SUPPORTED));
            assertThat(mx.commands("MAIL")).isEmpty();
            assertThat(mx.awaitCommands("QUIT", 1, ClientFixture.WAIT)).hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void refusedStarttlsMeansPlainTextWhenOpportunisticAndFailureWhenRequired(SslProvider provider) {
        try (TestMx mx = TestMx.builder().starttls(GOOD).reply(Verb.STARTTLS, "454 4.7.0 TLS not available now").start()) {
            TransactionOutcome outcome = delivered(provider, mx, TlsRequirement.OPPORTUNISTIC);
            assertThat(outcome.session().tls()).isEmpty();

            TransactionOutcome.Failed required = failed(deliver(provider, mx, "a.mx.test", TlsRequirement.REQUIRED));
            assertThat(required.failure()).isEqualTo(new ConnectionFailure.StartTlsUnavailable(
                    Optional.of(SmtpReply.of(454, List.of("4.7.0 TLS not available now")))));
            assertThat(mx.messages()).hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void requiredTakesAnyCertificate(SslProvider provider) {
        try (TestMx mx = TestMx.builder().starttls(WRONG_NAME).start()) {
            TransactionOutcome outcome = delivered(provider, mx, TlsRequirement.REQUIRED);

            assertThat(notVerified(outcome.session().tls().orElseThrow()).problem()).isEqualTo(TlsProblem.CERTIFICATE_HOST_MISMATCH);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void requiredVerifiedDeliversWithAGoodCertificate(SslProvider provider) {
        try (TestMx mx = TestMx.builder().starttls(GOOD).extensions("PIPELINING").start()) {
            TransactionOutcome outcome = delivered(provider, mx, TlsRequirement.REQUIRED_VERIFIED);

            TlsDetails tls = outcome.session().tls().orElseThrow();
            assertThat(tls.verified()).isTrue();
            assertThat(tls.protocol()).isEqualTo("TLSv1.3");
            assertThat(tls.cipher()).startsWith("TLS_");
            assertThat(tls.peerSubject()).hasValueSatisfying(s -> assertThat(s).contains("CN=a.mx.test"));
            assertThat(tls.peerIssuer()).hasValueSatisfying(s -> assertThat(s).contains("CN=Delivery Test CA"));
            assertThat(tls.peerNotAfter()).contains(GOOD.certificate().getNotAfter().toInstant());
            // what the server announced over TLS counts, and it no longer offers STARTTLS
            assertThat(outcome.session().extensions().has("PIPELINING")).isTrue();
            assertThat(outcome.session().extensions().has("STARTTLS")).isFalse();
            assertThat(mx.commands("EHLO")).extracting(Command::tls).containsExactly(false, true);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void requiredVerifiedRefusesBadCertificatesWithTheirReason(SslProvider provider) {
        Map<TestCertificates.Issued, TlsProblem> cases = Map.of(
                WRONG_NAME, TlsProblem.CERTIFICATE_HOST_MISMATCH,
                EXPIRED, TlsProblem.CERTIFICATE_EXPIRED,
                SELF_SIGNED, TlsProblem.CERTIFICATE_NOT_TRUSTED);
        cases.forEach((certificate, problem) -> {
            try (TestMx mx = TestMx.builder().starttls(certificate).start()) {
                TransactionOutcome.Failed outcome = failed(deliver(provider, mx, "a.mx.test", TlsRequirement.REQUIRED_VERIFIED));

                assertThat(outcome.failure()).as(problem.resultType()).isInstanceOf(ConnectionFailure.TlsFailed.class);
                assertThat(outcome.failure().tlsProblem()).as(problem.resultType()).contains(problem);
                assertThat(outcomes(outcome).getFirst().reply().status()).isEqualTo(EnhancedStatus.CRYPTOGRAPHIC_FAILURE);
                assertThat(outcomes(outcome).getFirst()).isInstanceOfSatisfying(Outcome.Deferred.class,
                        d -> assertThat(d.cause()).isEqualTo(Verdicts.causeOf(problem)));
                assertThat(outcome.session().tls()).as("the verdict is kept for reports").isPresent();
                assertThat(outcomes(outcome).getFirst().reply().line()).contains("(" + problem.resultType() + ")");
                assertThat(mx.commands()).extracting(Command::verb).as("nothing after the handshake").containsExactly("EHLO", "STARTTLS");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("providers")
    void wildcardCoversExactlyOneLeftmostLabel(SslProvider provider) {
        try (TestMx mx = TestMx.builder().starttls(WILDCARD).start()) {
            TransactionOutcome one = deliver(provider, mx, "a.mx.test", TlsRequirement.REQUIRED_VERIFIED);
            assertThat(concluded(one).session().tls().orElseThrow().verified()).isTrue();

            TransactionOutcome.Failed two = failed(deliver(provider, mx, "a.b.mx.test", TlsRequirement.REQUIRED_VERIFIED));
            assertThat(two.failure().tlsProblem()).contains(TlsProblem.CERTIFICATE_HOST_MISMATCH);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void sniIsTheMxHostName(SslProvider provider) {
        try (TestMx mx = TestMx.builder().starttls(GOOD).start()) {
            deliver(provider, mx, "A.MX.test.", TlsRequirement.REQUIRED_VERIFIED);

            assertThat(mx.tlsSessions()).extracting(TestMx.TlsSession::sni).containsExactly(Optional.of("a.mx.test"));
            assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().sni()).contains("a.mx.test");
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void replyInjectedBeforeTheHandshakeIsDiscarded(SslProvider provider) {
        // taken for the answer to the EHLO over TLS, this refusal would fail the delivery
        try (TestMx mx = TestMx.builder().starttls(GOOD).injectAfterStartTls("554 5.7.1 injected by a man in the middle").start()) {
            delivered(provider, mx, TlsRequirement.REQUIRED_VERIFIED);

            assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().tls()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void negotiatesTls12WithAServerThatHasNothingNewer(SslProvider provider) {
        try (TestMx mx = TestMx.builder().starttls(GOOD).tlsProtocols("TLSv1.2").start()) {
            TransactionOutcome outcome = delivered(provider, mx, TlsRequirement.REQUIRED_VERIFIED);

            assertThat(outcome.session().tls().orElseThrow().protocol()).isEqualTo("TLSv1.2");
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void resumesTheTlsSessionOnTheNextConnection(SslProvider provider) {
        try (TestMx mx = TestMx.builder().starttls(GOOD).start()) {
            for (int i = 0; i < 3; i++) {
                TransactionOutcome outcome = deliver(provider, mx, "a.mx.test", TlsRequirement.REQUIRED_VERIFIED);
                assertThat(outcome.session().tls().orElseThrow().verified()).as("verified after resumption too").isTrue();
            }

            assertThat(mx.tlsSessions()).extracting(TestMx.TlsSession::resumed).containsExactly(false, true, true);
        }
    }
}
