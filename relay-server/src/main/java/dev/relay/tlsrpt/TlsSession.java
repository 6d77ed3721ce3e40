package dev.relay.tlsrpt;

import dev.relay.outcome.Cause;
import dev.relay.text.DomainForm;
import java.util.Objects;
import java.util.Optional;

/**
 * One delivery session to a domain as TLS reporting counts it (RFC 8460 section 4): the policy
 * domain, the policy that applied, and whether TLS as that policy demands succeeded. Delivery
 * makes these (see {@link TlsSessions#fromOutcome}); the counters only add them up.
 *
 * @param policyDomain the recipient domain whose policy applied, lower case, no trailing dot
 * @param policy the policy the session was judged by
 * @param result success, or the failure with what §4.4 groups failures by
 */
public record TlsSession(String policyDomain, SessionPolicy policy, Result result) {

    public TlsSession {
        Objects.requireNonNull(policyDomain, "policyDomain");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(result, "result");
        policyDomain = normalize(policyDomain);
        if (policyDomain.isEmpty() || policyDomain.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("not a domain: " + policyDomain);
        }
    }

    public static TlsSession success(String policyDomain, SessionPolicy policy) {
        return new TlsSession(policyDomain, policy, Success.INSTANCE);
    }

    public static TlsSession failure(String policyDomain, SessionPolicy policy, Failure failure) {
        return new TlsSession(policyDomain, policy, failure);
    }

    static String normalize(String domain) {
        return DomainForm.canonical(domain);
    }

    public sealed interface Result permits Success, Failure {}

    /** TLS was negotiated and, under a policy, the peer authenticated as it demands. */
    public record Success() implements Result {
        private static final Success INSTANCE = new Success();
    }

    /**
     * A failed session; every field but the count of an RFC 8460 {@code failure-details} entry,
     * so equal failures are one row of the report.
     *
     * @param cause a TLS cause: its {@link Cause#tlsReportResultType()} is the {@code result-type}
     * @param receivingMxHostname the MX host tried; empty for failures before any host (a policy fetch)
     * @param receivingIp the address connected to
     * @param receivingMxHelo the name the MX gave in its greeting or EHLO reply
     * @param sendingMtaIp the relay's own address on that connection
     * @param failureReasonCode a short code of the relay's (RFC 8460: "a text field to include a
     *     TLS-related error code or error message"), e.g. the certificate problem's name
     * @param additionalInformation a URI with more on this failure
     */
    public record Failure(Cause cause, Optional<String> receivingMxHostname, Optional<String> receivingIp,
            Optional<String> receivingMxHelo, Optional<String> sendingMtaIp, Optional<String> failureReasonCode,
            Optional<String> additionalInformation) implements Result {

        public Failure {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(receivingMxHostname, "receivingMxHostname");
            Objects.requireNonNull(receivingIp, "receivingIp");
            Objects.requireNonNull(receivingMxHelo, "receivingMxHelo");
            Objects.requireNonNull(sendingMtaIp, "sendingMtaIp");
            Objects.requireNonNull(failureReasonCode, "failureReasonCode");
            Objects.requireNonNull(additionalInformation, "additionalInformation");
            if (cause.tlsReportResultType().isEmpty()) {
                throw new IllegalArgumentException(cause.label() + " is not an RFC 8460 result type");
            }
            receivingMxHostname = receivingMxHostname.map(TlsSession::normalize);
        }

        /** A failure of this type and nothing else known yet; add the rest with the {@code with} methods. */
        public static Failure of(Cause cause) {
            return new Failure(cause, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
        }

        /** The RFC 8460 {@code result-type}, e.g. {@code certificate-expired}. */
        public String resultType() {
            return cause.tlsReportResultType().orElseThrow();
        }

        public Failure withReceivingMx(String host, Optional<String> ip) {
            return new Failure(cause, Optional.of(host), ip, receivingMxHelo, sendingMtaIp, failureReasonCode,
                    additionalInformation);
        }

        public Failure withReceivingMxHelo(String helo) {
            return new Failure(cause, receivingMxHostname, receivingIp, Optional.of(helo), sendingMtaIp, failureReasonCode,
                    additionalInformation);
        }

        public Failure withSendingMtaIp(String ip) {
            return new Failure(cause, receivingMxHostname, receivingIp, receivingMxHelo, Optional.of(ip), failureReasonCode,
                    additionalInformation);
        }

        public Failure withFailureReasonCode(String code) {
            return new Failure(cause, receivingMxHostname, receivingIp, receivingMxHelo, sendingMtaIp, Optional.of(code),
                    additionalInformation);
        }

        public Failure withAdditionalInformation(String uri) {
            return new Failure(cause, receivingMxHostname, receivingIp, receivingMxHelo, sendingMtaIp, failureReasonCode,
                    Optional.of(uri));
        }
    }
}
