package dev.relay.delivery;

import dev.relay.outcome.AppliedPolicy;
import dev.relay.outcome.Cause;
import dev.relay.outcome.EnhancedStatus;
import dev.relay.outcome.HostProblem;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.Reply;
import dev.relay.outcome.Source;
import dev.relay.outcome.TlsFacts;
import dev.relay.smtp.client.ConnectionFailure;
import dev.relay.smtp.client.Destination;
import dev.relay.smtp.client.RecipientVerdict;
import dev.relay.smtp.client.SessionInfo;
import dev.relay.smtp.client.SmtpReply;
import dev.relay.smtp.client.TransactionOutcome;
import dev.relay.tls.TlsDetails;
import dev.relay.tls.TlsProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one classifier: turns what happened (a server's reply, a connection that failed, a DNS
 * answer, a policy that could not be met, a check before sending) into a typed
 * {@link Outcome}, with its reply worded once here and its enhanced status named in
 * {@link EnhancedStatus}. Scope as Postfix's smtp_trouble has it: a server's reply concerns
 * the recipient (or the message); everything else concerns the attempt and is temporary,
 * except what DNS proves for good (no such domain, null MX, no route) and what the relay
 * finds the next hop cannot take (size, SMTPUTF8, BINARYMIME, REQUIRETLS).
 */
public final class Verdicts {
    private Verdicts() {}

    // ------------------------------------------------------------ what a transaction found

    /** The outcome of recipient {@code k} of a transaction, as the client found it. */
    public static Outcome of(TransactionOutcome transaction, int k) {
        return of(transaction, k, tlsOf(transaction.session()));
    }

    /** Every recipient's outcome of a transaction, in its order. */
    public static List<Outcome> of(TransactionOutcome transaction) {
        return of(transaction, AppliedPolicy.NONE);
    }

    /** Every recipient's outcome of a transaction under the policy that governed it, in its order. */
    public static List<Outcome> of(TransactionOutcome transaction, AppliedPolicy policy) {
        TlsFacts tls = tlsOf(transaction.session()).withPolicy(policy);
        List<Outcome> outcomes = new ArrayList<>(transaction.results().size());
        for (int k = 0; k < transaction.results().size(); k++) {
            outcomes.add(of(transaction, k, tls));
        }
        return outcomes;
    }

    private static Outcome of(TransactionOutcome transaction, int k, TlsFacts tls) {
        Destination destination = transaction.session().destination();
        return switch (transaction.results().get(k)) {
            case RecipientVerdict.Replied r -> fromServer(r.reply(), destination, tls);
            case RecipientVerdict.TooBig t -> tooBig(t.size(), t.limit(), destination, tls);
            case RecipientVerdict.ExtensionMissing m -> switch (m.extension()) {
                case SMTPUTF8 -> smtpUtf8NotOffered(destination, tls);
                case BINARYMIME -> binaryMimeNotOffered(destination, tls);
                case REQUIRETLS -> requireTlsNotOffered(destination, tls);
            };
            case RecipientVerdict.AddressNotSendable a -> a.sender() ? senderNotSendable(tls) : recipientNotSendable(tls);
            case RecipientVerdict.BodyUnreadable b -> bodyUnreadable(b.why(), tls);
            case RecipientVerdict.UnexpectedDataReply u -> unexpectedDataReply(u.reply(), tls);
            case RecipientVerdict.Unanswered u -> switch (transaction) {
                case TransactionOutcome.Failed failed -> connectionFailed(failed.failure(), destination, tls);
                // a concluded transaction answers every recipient; should one slip through, it is retried
                case TransactionOutcome.Concluded c -> localError("delivering to " + destination.relayName()
                        + ": the server gave no verdict for a recipient");
            };
        };
    }

    // ------------------------------------------------------------ a server's verdict

    /** A server's reply to RCPT, MAIL, DATA or the end of data: its host is the Remote-MTA. */
    static Outcome fromServer(SmtpReply reply, Destination destination, TlsFacts tls) {
        Reply r = replyOf(reply);
        Source source = remote(destination);
        if (r.isPositive()) {
            return new Outcome.Delivered(r, source, tls);
        }
        return r.isPermanent()
                ? new Outcome.Failed(r, source, tls, Cause.REMOTE_REPLY)
                : new Outcome.Deferred(r, source, tls, Cause.REMOTE_REPLY);
    }

    // ------------------------------------------------------------ the relay's checks before sending

    static Outcome.Failed tooBig(long size, long limit, Destination destination, TlsFacts tls) {
        return failed(552, EnhancedStatus.MESSAGE_TOO_BIG, "message size " + size + " exceeds size limit " + limit
                + " of server " + destination.relayName(), Cause.MESSAGE_TOO_BIG, tls);
    }

    static Outcome.Failed smtpUtf8NotOffered(Destination destination, TlsFacts tls) {
        return failed(553, EnhancedStatus.NON_ASCII_ADDRESSES, "SMTPUTF8 is required, but was not offered by host "
                + destination.relayName(), Cause.SMTPUTF8_UNSUPPORTED, tls);
    }

    static Outcome.Failed binaryMimeNotOffered(Destination destination, TlsFacts tls) {
        return failed(554, EnhancedStatus.CONVERSION_REQUIRED, "BINARYMIME content needs CHUNKING and BINARYMIME, "
                + "which host " + destination.relayName() + " does not offer", Cause.BINARYMIME_UNSUPPORTED, tls);
    }

    /** RFC 8689 4.2.1: the next hop must announce REQUIRETLS over TLS; the walk may try the next MX. */
    static Outcome.Failed requireTlsNotOffered(Destination destination, TlsFacts tls) {
        return failed(550, EnhancedStatus.REQUIRETLS_NEEDED, "REQUIRETLS is required, but was not offered by host "
                + destination.relayName(), Cause.REQUIRETLS_UNSUPPORTED, tls);
    }

    /**
     * RFC 8689 section 5: a REQUIRETLS message that no MX host could take over an authenticated
     * route fails for good (5.7.30); each host's reason is listed. The cause says REQUIRETLS was
     * missing at the next hop when that was every host's reason.
     */
    static Outcome.Failed requireTlsNotMet(String domain, List<HostProblem> hosts, AppliedPolicy policy) {
        boolean allUnsupported = !hosts.isEmpty()
                && hosts.stream().allMatch(h -> h.cause() == Cause.REQUIRETLS_UNSUPPORTED);
        StringBuilder text = new StringBuilder("REQUIRETLS: no MX host of <").append(domain)
                .append("> could take the message over authenticated TLS with REQUIRETLS");
        for (int i = 0; i < hosts.size(); i++) {
            text.append(i == 0 ? ": " : "; ").append(hosts.get(i).detail());
        }
        return new Outcome.Failed(Reply.of(550, EnhancedStatus.REQUIRETLS_NEEDED, oneLine(text.toString())),
                Source.local(), TlsFacts.without(policy),
                allUnsupported ? Cause.REQUIRETLS_UNSUPPORTED : Cause.REQUIRETLS_NOT_MET, hosts, false);
    }

    static Outcome.Failed senderNotSendable(TlsFacts tls) {
        return failed(553, EnhancedStatus.BAD_SENDER_SYNTAX, "the sender address cannot be sent over SMTP as stored",
                Cause.ADDRESS_NOT_SENDABLE, tls);
    }

    static Outcome.Failed recipientNotSendable(TlsFacts tls) {
        return failed(553, EnhancedStatus.BAD_RECIPIENT_SYNTAX,
                "the recipient address cannot be sent over SMTP as stored", Cause.ADDRESS_NOT_SENDABLE, tls);
    }

    static Outcome.Deferred bodyUnreadable(String why, TlsFacts tls) {
        return deferred(451, EnhancedStatus.SYSTEM_ERROR, "cannot read the queued message: " + why,
                Cause.LOCAL_ERROR, tls);
    }

    /** A 2xx or 3xx to DATA other than 354: the server went somewhere we did not ask it to. */
    static Outcome.Deferred unexpectedDataReply(SmtpReply reply, TlsFacts tls) {
        return deferred(451, EnhancedStatus.PROTOCOL_ERROR, "unexpected reply to DATA: " + reply.text(),
                Cause.PROTOCOL_ERROR, tls);
    }

    // ------------------------------------------------------------ a connection that gave no verdict

    /**
     * The temporary outcome of each recipient a failed connection leaves open. Only a server
     * that refused the session answered for itself (its host is the Remote-MTA); every other
     * failure is the relay's finding about a connection that never gave a verdict.
     */
    public static Outcome.Deferred connectionFailed(ConnectionFailure failure, Destination destination, TlsFacts tls) {
        String text = oneLine(failure.describe(destination));
        Finding finding = findingOf(failure);
        Source source = failure instanceof ConnectionFailure.Rejected ? remote(destination) : Source.local();
        return new Outcome.Deferred(Reply.of(451, finding.status(), text), source, tls, finding.cause());
    }

    /** Why a connection gave no verdict, as a cause. */
    static Cause causeOf(ConnectionFailure failure) {
        return findingOf(failure).cause();
    }

    /** What a kind of failed connection is: its cause, and the status of the deferral it leaves. */
    private record Finding(Cause cause, EnhancedStatus status) {}

    private static Finding findingOf(ConnectionFailure failure) {
        return switch (failure) {
            case ConnectionFailure.ConnectFailed f -> new Finding(Cause.CONNECT_FAILED, EnhancedStatus.NO_ANSWER);
            // a refused session is retried: its status keeps what it was about, in class 4
            case ConnectionFailure.Rejected r ->
                    new Finding(Cause.SESSION_REFUSED, replyOf(r.reply()).status().withClass(4));
            case ConnectionFailure.StartTlsUnavailable s ->
                    new Finding(Cause.STARTTLS_NOT_SUPPORTED, EnhancedStatus.SECURITY_NOT_SUPPORTED);
            case ConnectionFailure.TlsFailed t -> new Finding(causeOf(t.problem()), EnhancedStatus.CRYPTOGRAPHIC_FAILURE);
            case ConnectionFailure.TimedOut t -> new Finding(Cause.TIMED_OUT, EnhancedStatus.BAD_CONNECTION);
            case ConnectionFailure.ConnectionLost l -> new Finding(Cause.CONNECTION_LOST, EnhancedStatus.BAD_CONNECTION);
            case ConnectionFailure.ProtocolError p -> new Finding(Cause.PROTOCOL_ERROR, EnhancedStatus.PROTOCOL_ERROR);
            case ConnectionFailure.LocalError l -> new Finding(Cause.LOCAL_ERROR, EnhancedStatus.SYSTEM_ERROR);
        };
    }

    /** RFC 8460's result type for a TLS problem, one to one. */
    public static Cause causeOf(TlsProblem problem) {
        return switch (problem) {
            case STARTTLS_NOT_SUPPORTED -> Cause.STARTTLS_NOT_SUPPORTED;
            case CERTIFICATE_HOST_MISMATCH -> Cause.CERTIFICATE_HOST_MISMATCH;
            case CERTIFICATE_EXPIRED -> Cause.CERTIFICATE_EXPIRED;
            case CERTIFICATE_NOT_TRUSTED -> Cause.CERTIFICATE_NOT_TRUSTED;
            case VALIDATION_FAILURE -> Cause.VALIDATION_FAILURE;
            case TLSA_INVALID -> Cause.TLSA_INVALID;
        };
    }

    /** What a session negotiated; the domain's policy is stamped on later by the walk that knows it. */
    static TlsFacts tlsOf(SessionInfo session) {
        return session.tls().map(Verdicts::sessionOf)
                .map(s -> new TlsFacts(AppliedPolicy.NONE, Optional.of(s)))
                .orElse(TlsFacts.none());
    }

    private static TlsFacts.Session sessionOf(TlsDetails tls) {
        return new TlsFacts.Session(tls.protocol(), tls.cipher(), tls.verified());
    }

    // ------------------------------------------------------------ DNS (RFC 3463, RFC 7505)

    static Outcome.Failed nullMx(String domain) {
        return failed(556, EnhancedStatus.NULL_MX, "domain <" + domain + "> does not accept mail (null MX)",
                Cause.NULL_MX, TlsFacts.none());
    }

    static Outcome.Failed noSuchDomain(String domain) {
        return failed(550, EnhancedStatus.BAD_DESTINATION_SYSTEM, "domain <" + domain + "> does not exist",
                Cause.NO_SUCH_DOMAIN, TlsFacts.none());
    }

    /** No MX and no address either: RFC 5321 5.1 leaves nowhere to deliver. */
    static Outcome.Failed noAddress(String domain) {
        return failed(550, EnhancedStatus.NO_ROUTE, "domain <" + domain + "> has no MX and no address records",
                Cause.NO_MAIL_HOST, TlsFacts.none());
    }

    static Outcome.Deferred lookupFailed(String name, String reason) {
        return deferred(451, EnhancedStatus.DIRECTORY_FAILURE, "DNS lookup for <" + name + "> failed: " + reason,
                Cause.DNS_LOOKUP_FAILED, TlsFacts.none());
    }

    /** An MX host that does not resolve: the next MX may; if none does, the domain's mail waits. */
    static Outcome.Deferred mxHostUnresolvable(String host) {
        return deferred(451, EnhancedStatus.UNABLE_TO_ROUTE, "MX host <" + host + "> has no address",
                Cause.MX_HOST_UNRESOLVABLE, TlsFacts.none());
    }

    // ------------------------------------------------------------ MTA-STS (RFC 8461 section 5: always temporary)

    /** Whether the domain has a policy could not be found out (DNS failed), and nothing is cached. */
    static Outcome.Deferred policyUndetermined(String domain, String reason) {
        return deferred(451, EnhancedStatus.DIRECTORY_FAILURE, "MTA-STS policy of <" + domain
                + "> could not be determined (" + reason + "); not delivering without it",
                Cause.STS_POLICY_UNAVAILABLE, TlsFacts.none());
    }

    /** No MX host offered the security the enforced policy demands; each host's problem is listed. */
    static Outcome.Deferred policyNotMet(String domain, List<HostProblem> hosts) {
        return policyNotMet(domain, hosts, false);
    }

    /**
     * @param localOverride whether the enforced policy is the relay's own ({@code tls-policy.overrides}
     *     in mode enforce) rather than one the domain publishes: the reply says which
     */
    static Outcome.Deferred policyNotMet(String domain, List<HostProblem> hosts, boolean localOverride) {
        StringBuilder text = new StringBuilder(localOverride ? "TLS policy for <" : "MTA-STS policy of <").append(domain)
                .append(localOverride ? "> (local override, mode enforce)" : "> (mode enforce)")
                .append(" could not be met by any MX host: ");
        for (int i = 0; i < hosts.size(); i++) {
            text.append(i == 0 ? "" : "; ").append(hosts.get(i).detail());
        }
        return new Outcome.Deferred(Reply.of(451, EnhancedStatus.CRYPTOGRAPHIC_FAILURE, oneLine(text.toString())),
                Source.local(), TlsFacts.without(AppliedPolicy.MTA_STS_ENFORCE), Cause.STS_POLICY_NOT_MET, hosts);
    }

    // ------------------------------------------------------------ DANE (RFC 7672: always temporary)

    /**
     * No MX host could be used as its TLS policies demand, and at least one was governed by DANE
     * (its TLSA records did not match, or could not be validated): each host's problem is listed.
     *
     * @param cause the first DANE host's cause (e.g. {@code tlsa-invalid}, {@code dnssec-invalid})
     */
    static Outcome.Deferred daneNotMet(String domain, List<HostProblem> hosts, Cause cause) {
        StringBuilder text = new StringBuilder("no MX host of <").append(domain)
                .append("> could be used as its DANE (TLSA) records require: ");
        for (int i = 0; i < hosts.size(); i++) {
            text.append(i == 0 ? "" : "; ").append(hosts.get(i).detail());
        }
        return new Outcome.Deferred(Reply.of(451, EnhancedStatus.CRYPTOGRAPHIC_FAILURE, oneLine(text.toString())),
                Source.local(), TlsFacts.without(AppliedPolicy.DANE), cause, hosts);
    }

    // ------------------------------------------------------------ the relay itself

    /** Something in the relay went wrong while delivering ({@code what}: e.g. "delivering to <example.com>: ..."). */
    static Outcome.Deferred localError(String what) {
        return deferred(451, EnhancedStatus.SYSTEM_ERROR, "local error " + what, Cause.LOCAL_ERROR, TlsFacts.none());
    }

    private static Outcome.Failed failed(int code, EnhancedStatus status, String text, Cause cause, TlsFacts tls) {
        return new Outcome.Failed(Reply.of(code, status, oneLine(text)), Source.local(), tls, cause);
    }

    private static Outcome.Deferred deferred(int code, EnhancedStatus status, String text, Cause cause, TlsFacts tls) {
        return new Outcome.Deferred(Reply.of(code, status, oneLine(text)), Source.local(), tls, cause);
    }

    /** A final reply from the wire as an outcome carries it. */
    static Reply replyOf(SmtpReply reply) {
        String line = reply.text();
        // text() is the code, then the status exactly as sent (when there is one), then the rest
        int skip = 3 + reply.enhancedStatus().map(s -> 1 + s.length()).orElse(0);
        String rest = line.length() > skip ? line.substring(skip).strip() : "";
        return new Reply(reply.code(), reply.enhancedStatus().flatMap(EnhancedStatus::parse), rest);
    }

    private static Source remote(Destination destination) {
        return Source.remote(destination.mxHost(), Optional.of(destination.address().getAddress().getHostAddress()));
    }

    /** Texts come from exceptions and remote input too: one line, whatever they held. */
    private static String oneLine(String text) {
        return text.indexOf('\r') < 0 && text.indexOf('\n') < 0 ? text : text.replace('\r', ' ').replace('\n', ' ');
    }
}
