package dev.relay.mtasts;

import dev.relay.tls.TlsRequirement;
import java.util.Optional;

/**
 * Which MX hosts of a domain delivery may try, and with which TLS (RFC 8461 sections 4 and 5).
 * Pure: the policy in force comes from the caller (the cache applies an unexpired policy even
 * when the TXT record has vanished).
 * <ul>
 *   <li>enforce: a listed host must use STARTTLS with a verified certificate
 *       ({@link TlsRequirement#REQUIRED_VERIFIED}); an unlisted host is refused;</li>
 *   <li>testing: every host is tried as without a policy ({@link TlsRequirement#OPPORTUNISTIC});
 *       {@code policyMatched} says whether enforce would have allowed it. The operator's own TLS
 *       settings are never weakened by this: the caller may ask for more;</li>
 *   <li>none, or no policy: {@link TlsRequirement#OPPORTUNISTIC}.</li>
 * </ul>
 */
public final class PolicyDecision {

    private PolicyDecision() {}

    /** The verdict for one MX host of {@code domain} under the policy in force, if any. */
    public static HostVerdict forHost(String domain, Optional<Policy> policy, String mxHost) {
        if (policy.isEmpty()) {
            return new HostVerdict.Allowed(TlsRequirement.OPPORTUNISTIC, true);
        }
        Policy p = policy.get();
        return switch (p.mode()) {
            case NONE -> new HostVerdict.Allowed(TlsRequirement.OPPORTUNISTIC, true);
            case TESTING -> new HostVerdict.Allowed(TlsRequirement.OPPORTUNISTIC, p.matchesMx(mxHost));
            case ENFORCE -> p.matchesMx(mxHost)
                    ? new HostVerdict.Allowed(TlsRequirement.REQUIRED_VERIFIED, true)
                    : new HostVerdict.Refused(notListed(domain, p, mxHost));
        };
    }

    private static String notListed(String domain, Policy policy, String mxHost) {
        return HostNames.display(mxHost) + " does not match the MTA-STS policy of "
                + HostNames.display(domain) + " (mx: " + policy.mxText() + ")";
    }
}
