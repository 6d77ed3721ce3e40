package dev.relay.delivery;

import dev.relay.smtp.client.ConnectionFailure;
import dev.relay.smtp.client.Destination;
import dev.relay.smtp.client.SmtpReply;
import dev.relay.smtp.client.Stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.outcome.Cause;
import dev.relay.outcome.EnhancedStatus;
import dev.relay.outcome.HostProblem;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.Source;
import dev.relay.outcome.TlsFacts;
import dev.relay.tls.TlsProblem;
import dev.relay.tls.TlsRequirement;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The one classifier, as a table: what happened, and the outcome it becomes. */
class VerdictsTest {

    private static final Destination MX = new Destination("mx.example.com",
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 25), TlsRequirement.OPPORTUNISTIC);

    static Stream<Arguments> connectionFailures() {
        SmtpReply busy = SmtpReply.of(554, List.of("5.7.1 go away"));
        return Stream.of(
                Arguments.of(new ConnectionFailure.ConnectFailed("connection refused", false), Cause.CONNECT_FAILED, "4.4.1"),
                Arguments.of(new ConnectionFailure.Rejected(Stage.GREETING, busy), Cause.SESSION_REFUSED, "4.7.1"),
                Arguments.of(new ConnectionFailure.StartTlsUnavailable(Optional.empty()), Cause.STARTTLS_NOT_SUPPORTED, "4.7.4"),
                Arguments.of(new ConnectionFailure.TlsFailed(TlsProblem.CERTIFICATE_EXPIRED, "expired", Optional.empty()),
                        Cause.CERTIFICATE_EXPIRED, "4.7.5"),
                Arguments.of(new ConnectionFailure.TimedOut(Stage.DATA_END), Cause.TIMED_OUT, "4.4.2"),
                Arguments.of(new ConnectionFailure.ConnectionLost(Stage.RCPT), Cause.CONNECTION_LOST, "4.4.2"),
                Arguments.of(new ConnectionFailure.ProtocolError(Stage.MAIL, "garbage"), Cause.PROTOCOL_ERROR, "4.5.0"),
                Arguments.of(new ConnectionFailure.LocalError(Stage.BODY, "disk"), Cause.LOCAL_ERROR, "4.3.0"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("connectionFailures")
    void aFailedConnectionIsAlwaysTemporaryWithItsCause(ConnectionFailure failure, Cause cause, String status) {
        Outcome.Deferred outcome = Verdicts.connectionFailed(failure, MX, TlsFacts.none());

        assertThat(outcome.cause()).isEqualTo(cause);
        assertThat(outcome.reply().code()).isEqualTo(451);
        assertThat(outcome.reply().status().toString()).isEqualTo(status);
        assertThat(outcome.reply().text()).isEqualTo(failure.describe(MX));
        // only a server that refused the session spoke for itself
        assertThat(outcome.source() instanceof Source.Remote).isEqualTo(failure instanceof ConnectionFailure.Rejected);
    }

    @ParameterizedTest
    @EnumSource(TlsProblem.class)
    void everyTlsProblemIsTheRfc8460ResultTypeOfTheSameName(TlsProblem problem) {
        assertThat(Verdicts.causeOf(problem).tlsReportResultType()).contains(problem.resultType());
    }

    @Test
    void aServerReplyIsJudgedByItsClassAndNamesTheServer() {
        Outcome delivered = Verdicts.fromServer(SmtpReply.of(250, List.of("2.0.0 ok")), MX, TlsFacts.none());
        Outcome deferred = Verdicts.fromServer(SmtpReply.of(452, List.of("4.2.2 full")), MX, TlsFacts.none());
        Outcome failed = Verdicts.fromServer(SmtpReply.of(550, List.of("5.1.1 no such user", "5.1.1 really")), MX,
                TlsFacts.none());

        assertThat(delivered).isInstanceOf(Outcome.Delivered.class);
        assertThat(deferred).isInstanceOfSatisfying(Outcome.Deferred.class,
                d -> assertThat(d.cause()).isEqualTo(Cause.REMOTE_REPLY));
        assertThat(failed).isInstanceOfSatisfying(Outcome.Failed.class, f -> {
            assertThat(f.status()).isEqualTo(new EnhancedStatus(5, 1, 1));
            assertThat(f.reply().line()).isEqualTo("550 5.1.1 no such user really");
        });
        assertThat(failed.source()).isEqualTo(Source.remote("mx.example.com", Optional.of("127.0.0.1")));
    }

    @Test
    void dnsVerdictsSayWhatDnsProved() {
        assertThat(Verdicts.nullMx("a.test").cause()).isEqualTo(Cause.NULL_MX);
        assertThat(Verdicts.nullMx("a.test").status()).isEqualTo(EnhancedStatus.NULL_MX);
        assertThat(Verdicts.noSuchDomain("a.test").status()).isEqualTo(EnhancedStatus.BAD_DESTINATION_SYSTEM);
        assertThat(Verdicts.noAddress("a.test").status()).isEqualTo(EnhancedStatus.NO_ROUTE);
        assertThat(Verdicts.lookupFailed("a.test", "SERVFAIL").reply().status()).isEqualTo(EnhancedStatus.DIRECTORY_FAILURE);
        assertThat(Verdicts.mxHostUnresolvable("mx.a.test").cause()).isEqualTo(Cause.MX_HOST_UNRESOLVABLE);
    }

    @Test
    void anUnmetPolicyListsEachHostAndIsTemporary() {
        List<HostProblem> hosts = List.of(
                new HostProblem("mx1.a.test", Cause.CERTIFICATE_EXPIRED, "TLS with mx1.a.test failed: expired"),
                new HostProblem("mx9.evil.test", Cause.MX_MISMATCH, "mx9.evil.test is not in the policy"));

        Outcome.Deferred notMet = Verdicts.policyNotMet("a.test", hosts);

        assertThat(notMet.cause()).isEqualTo(Cause.STS_POLICY_NOT_MET);
        assertThat(notMet.hosts()).isEqualTo(hosts);
        assertThat(notMet.reply().status()).isEqualTo(EnhancedStatus.CRYPTOGRAPHIC_FAILURE);
        assertThat(notMet.reply().text()).contains("TLS with mx1.a.test failed: expired; mx9.evil.test is not in the policy");
        assertThat(notMet.source()).isEqualTo(Source.local());
    }

    @Test
    void textsFromOutsideNeverBreakTheLine() {
        Outcome.Deferred local = Verdicts.localError("delivering to <a.test>: line one\r\nline two");

        assertThat(local.reply().text()).doesNotContain("\r").doesNotContain("\n");
    }
}
