package dev.relay.delivery;

import dev.relay.mtasts.HostVerdict;
import dev.relay.outcome.AppliedPolicy;
import dev.relay.outcome.Cause;
import dev.relay.tls.CertificateCheck;
import dev.relay.tls.TlsRequirement;
import java.util.Objects;
import java.util.Optional;

/**
 * Which policy governs one MX host and what it demands, host by host (RFC 8461 section 2, RFC
 * 7672 section 2.2):
 * <ol>
 *   <li>secure, usable TLSA records: DANE governs; TLS verified by the records is mandatory and
 *       MTA-STS is not consulted for the host (neither its MX list nor its certificate rules), so an
 *       MTA-STS success never rescues a DANE failure;</li>
 *   <li>TLSA records (or the host's addresses) in signed DNS that fail validation, or whose lookup
 *       fails: DANE governs and the host is skipped, never used with less;</li>
 *   <li>secure TLSA records that are all unusable: an enforced MTA-STS policy governs when the
 *       domain has one (it asks for more); otherwise DANE governs with STARTTLS mandatory,
 *       unauthenticated;</li>
 *   <li>no DANE for the host: MTA-STS governs as without DANE.</li>
 * </ol>
 */
public sealed interface HostPlan {

    /** The policy that governs the host. */
    AppliedPolicy policy();

    /**
     * Try the host.
     *
     * @param check the judge of the certificate when not the Web PKI (the host's TLSA records)
     * @param policyMatched false only when a testing MTA-STS policy does not list the host
     */
    record Connect(TlsRequirement tls, Optional<CertificateCheck> check, AppliedPolicy policy, boolean policyMatched)
            implements HostPlan {
        public Connect {
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(policy, "policy");
        }
    }

    /** Never try the host: the governing policy rules it out, for this cause. */
    record Skip(AppliedPolicy policy, Cause cause, String reason) implements HostPlan {
        public Skip {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * @param dane what DANE asks of the host
     * @param mtaSts what the domain's MTA-STS policy makes of the host
     * @param mtaStsPolicy the domain's MTA-STS policy as outcomes record it
     */
    public static HostPlan of(DaneHost dane, HostVerdict mtaSts, AppliedPolicy mtaStsPolicy) {
        return switch (dane) {
            case DaneHost.Verify verify -> new Connect(TlsRequirement.REQUIRED_VERIFIED,
                    Optional.of(verify.check()), AppliedPolicy.DANE, true);
            case DaneHost.Unverifiable unverifiable -> new Skip(AppliedPolicy.DANE, Cause.DNSSEC_INVALID,
                    unverifiable.reason());
            case DaneHost.EncryptOnly encrypt -> mtaStsPolicy == AppliedPolicy.MTA_STS_ENFORCE
                    ? byMtaSts(mtaSts, mtaStsPolicy)
                    : new Connect(TlsRequirement.REQUIRED, Optional.empty(), AppliedPolicy.DANE_ENCRYPT, true);
            case DaneHost.NotApplicable none -> byMtaSts(mtaSts, mtaStsPolicy);
        };
    }

    private static HostPlan byMtaSts(HostVerdict verdict, AppliedPolicy policy) {
        return switch (verdict) {
            // RFC 8461 5: a host the enforced policy rules out is treated as unreachable
            case HostVerdict.Refused refused -> new Skip(policy, Cause.MX_MISMATCH, refused.reason());
            case HostVerdict.Allowed allowed -> new Connect(allowed.tls(), Optional.empty(), policy,
                    allowed.policyMatched());
        };
    }
}
