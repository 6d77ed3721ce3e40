package dev.relay.delivery;

import dev.relay.smtp.client.ConnectionFailure;
import dev.relay.smtp.client.Destination;
import dev.relay.smtp.client.SmtpReply;
import dev.relay.smtp.client.Stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.outcome.AppliedPolicy;
import dev.relay.outcome.Cause;
import dev.relay.outcome.EnhancedStatus;
import dev.relay.outcome.HostProblem;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.Source;
import dev.relay.outcome.TlsFacts;
import dev.relay.smtp.client.Extensions;
import dev.relay.smtp.client.RecipientVerdict;
import dev.relay.smtp.client.SessionInfo;
import dev.relay.smtp.client.TransactionOutcome;
import dev.relay.tls.CertificateVerdict;
import dev.relay.tls.TlsDetails;
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
    void requireTlsUnmetIsPermanentListsEachHostAndSaysWhetherOnlyTheExtensionWasMissing() {
        HostProblem unauthenticated = new HostProblem("mx1.a.test", Cause.REQUIRETLS_NOT_MET,
                "mx1.a.test: the MX host is not authenticated");
        HostProblem lacking = new HostProblem("mx2.a.test", Cause.REQUIRETLS_UNSUPPORTED,
                "mx2.a.test: REQUIRETLS is required, but was not offered");

        Outcome.Failed mixed = Verdicts.requireTlsNotMet("a.test", List.of(unauthenticated, lacking),
                AppliedPolicy.MTA_STS_ENFORCE);
        Outcome.Failed onlyLacking = Verdicts.requireTlsNotMet("a.test", List.of(lacking), AppliedPolicy.MTA_STS_ENFORCE);

        assertThat(mixed.reply().isPermanent()).isTrue();
        assertThat(mixed.status()).isEqualTo(EnhancedStatus.REQUIRETLS_NEEDED);
        assertThat(mixed.reply().line()).startsWith("550 5.7.30 REQUIRETLS: no MX host of <a.test>")
                .contains("mx1.a.test: the MX host is not authenticated; mx2.a.test: REQUIRETLS is required");
        assertThat(mixed.cause()).isEqualTo(Cause.REQUIRETLS_NOT_MET);
        assertThat(mixed.hosts()).containsExactly(unauthenticated, lacking);
        assertThat(mixed.expired()).isFalse();
        assertThat(mixed.tls().policy()).isEqualTo(AppliedPolicy.MTA_STS_ENFORCE);
        assertThat(onlyLacking.cause()).isEqualTo(Cause.REQUIRETLS_UNSUPPORTED);
    }

    @Test
    void anUnmetDanePolicyListsEachHostUnderDaneAndIsTemporary() {
        List<HostProblem> hosts = List.of(
                new HostProblem("mx1.a.test", Cause.TLSA_INVALID, "TLS with mx1.a.test failed (tlsa-invalid): no match"),
                new HostProblem("mx2.a.test", Cause.DNSSEC_INVALID, "mx2.a.test: the TLSA records are bogus"));

        Outcome.Deferred notMet = Verdicts.daneNotMet("a.test", hosts, Cause.TLSA_INVALID);

        assertThat(notMet.cause()).isEqualTo(Cause.TLSA_INVALID);
        assertThat(notMet.hosts()).isEqualTo(hosts);
        assertThat(notMet.tls().policy()).isEqualTo(dev.relay.outcome.AppliedPolicy.DANE);
        assertThat(notMet.reply().line()).isEqualTo("451 4.7.5 no MX host of <a.test> could be used as its DANE (TLSA)"
                + " records require: TLS with mx1.a.test failed (tlsa-invalid): no match; mx2.a.test: the TLSA records"
                + " are bogus");
        assertThat(notMet.source()).isEqualTo(Source.local());
    }

    static Stream<Arguments> clientFindings() {
        return Stream.of(
                Arguments.of(new RecipientVerdict.TooBig(5000, 1000), Cause.MESSAGE_TOO_BIG, "552 5.3.4"),
                Arguments.of(new RecipientVerdict.ExtensionMissing(RecipientVerdict.NeededExtension.SMTPUTF8),
                        Cause.SMTPUTF8_UNSUPPORTED, "553 5.6.7"),
                Arguments.of(new RecipientVerdict.ExtensionMissing(RecipientVerdict.NeededExtension.BINARYMIME),
                        Cause.BINARYMIME_UNSUPPORTED, "554 5.6.3"),
                Arguments.of(new RecipientVerdict.ExtensionMissing(RecipientVerdict.NeededExtension.REQUIRETLS),
                        Cause.REQUIRETLS_UNSUPPORTED, "550 5.7.30"),
                Arguments.of(new RecipientVerdict.AddressNotSendable(true), Cause.ADDRESS_NOT_SENDABLE, "553 5.1.7"),
                Arguments.of(new RecipientVerdict.AddressNotSendable(false), Cause.ADDRESS_NOT_SENDABLE, "553 5.1.3"),
                Arguments.of(new RecipientVerdict.BodyUnreadable("segment gone"), Cause.LOCAL_ERROR, "451 4.3.0"),
                Arguments.of(new RecipientVerdict.UnexpectedDataReply(SmtpReply.of(250, List.of("ok"))),
                        Cause.PROTOCOL_ERROR, "451 4.5.0"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("clientFindings")
    void whatTheClientFoundItselfIsTheRelaysVerdictWithItsCause(RecipientVerdict found, Cause cause, String start) {
        TlsDetails tls = new TlsDetails("TLSv1.3", "TLS_AES_128_GCM_SHA256", Optional.empty(), Optional.empty(),
                Optional.empty(), CertificateVerdict.verified());
        SessionInfo session = new SessionInfo(MX, true, Optional.of(tls), Extensions.NONE, 1);
        TransactionOutcome transaction = new TransactionOutcome.Concluded(session,
                List.of(new RecipientVerdict.Replied(SmtpReply.of(250, List.of("2.0.0 ok"))), found));

        List<Outcome> outcomes = Verdicts.of(transaction);

        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.getFirst()).isInstanceOf(Outcome.Delivered.class);
        Outcome outcome = outcomes.get(1);
        assertThat(outcome.reply().line()).startsWith(start + " ");
        assertThat(outcome.source()).as("no server said it").isEqualTo(Source.local());
        assertThat(outcome.tls().session()).contains(new TlsFacts.Session("TLSv1.3", "TLS_AES_128_GCM_SHA256", true));
        Cause actual = switch (outcome) {
            case Outcome.Failed f -> f.cause();
            case Outcome.Deferred d -> d.cause();
            case Outcome.Delivered d -> throw new AssertionError("delivered: " + d);
        };
        assertThat(actual).isEqualTo(cause);
        assertThat(outcome instanceof Outcome.Failed).as("permanent exactly when 5xx").isEqualTo(start.startsWith("5"));
    }

    @Test
    void anUnansweredRecipientTakesTheConnectionFailureAndAConcludedOneIsRetried() {
        SessionInfo session = new SessionInfo(MX, false, Optional.empty(), Extensions.NONE, 0);
        ConnectionFailure refused = new ConnectionFailure.ConnectFailed("connection refused", false);

        Outcome failed = Verdicts.of(new TransactionOutcome.Failed(session, refused,
                List.of(new RecipientVerdict.Unanswered())), 0);
        Outcome odd = Verdicts.of(new TransactionOutcome.Concluded(session,
                List.of(new RecipientVerdict.Unanswered())), 0);

        assertThat(failed).isEqualTo(Verdicts.connectionFailed(refused, MX, TlsFacts.none()));
        assertThat(odd).isInstanceOfSatisfying(Outcome.Deferred.class, d -> {
            assertThat(d.cause()).isEqualTo(Cause.LOCAL_ERROR);
            assertThat(d.reply().text()).contains("gave no verdict");
        });
    }

    @Test
    void anUnknownPolicyIsTemporaryAndUnderNoPolicy() {
        Outcome.Deferred unknown = Verdicts.policyUndetermined("a.test", "DNS server 127.0.0.1:53 did not answer");

        assertThat(unknown.cause()).isEqualTo(Cause.STS_POLICY_UNAVAILABLE);
        assertThat(unknown.reply().status()).isEqualTo(EnhancedStatus.DIRECTORY_FAILURE);
        assertThat(unknown.tls()).isEqualTo(TlsFacts.none());
        assertThat(unknown.reply().text()).contains("<a.test>").contains("did not answer");
    }

    @Test
    void aLoneCrOrLfIsAlsoFoldedIntoTheLine() {
        assertThat(Verdicts.localError("a\rb").reply().text()).isEqualTo("local error a b");
        assertThat(Verdicts.localError("a\nb").reply().text()).isEqualTo("local error a b");
        assertThat(Verdicts.localError("plain").reply().text()).isEqualTo("local error plain");
    }

    @Test
    void aReplyWithoutEnhancedStatusKeepsItsWholeText() {
        assertThat(Verdicts.replyOf(SmtpReply.of(421, List.of("busy, come back")))).isEqualTo(
                new dev.relay.outcome.Reply(421, Optional.empty(), "busy, come back"));
        assertThat(Verdicts.replyOf(SmtpReply.of(250, List.of("2.0.0")))).isEqualTo(
                dev.relay.outcome.Reply.of(250, EnhancedStatus.SUCCESS, ""));
    }

    @Test
    void textsFromOutsideNeverBreakTheLine() {
        Outcome.Deferred local = Verdicts.localError("delivering to <a.test>: line one\r\nline two");

        assertThat(local.reply().text()).doesNotContain("\r").doesNotContain("\n");
    }
}
