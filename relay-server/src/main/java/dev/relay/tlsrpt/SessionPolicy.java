package dev.relay.tlsrpt;

import java.util.List;
import java.util.Objects;

/**
 * The policy a session was judged by, as a report names it (RFC 8460 section 4.4, {@code policy}).
 * Sessions under the same policy are counted together; when a domain's policy changes during the
 * day, the report has one entry per policy.
 *
 * @param type sts, tlsa or no-policy-found
 * @param policyStrings for sts the policy file's lines as fetched (RFC 8460: "the MTA-STS policy
 *     ... one line per string"), for tlsa the TLSA records; empty for no-policy-found
 * @param mxHosts for sts the policy's {@code mx} patterns, for tlsa the one MX host the records
 *     are for; empty for no-policy-found
 */
public record SessionPolicy(PolicyType type, List<String> policyStrings, List<String> mxHosts) {

    private static final SessionPolicy NONE = new SessionPolicy(PolicyType.NO_POLICY_FOUND, List.of(), List.of());

    public SessionPolicy {
        Objects.requireNonNull(type, "type");
        policyStrings = List.copyOf(policyStrings);
        mxHosts = List.copyOf(mxHosts);
        if (type == PolicyType.NO_POLICY_FOUND && !(policyStrings.isEmpty() && mxHosts.isEmpty())) {
            throw new IllegalArgumentException("no-policy-found has no policy strings or mx hosts");
        }
    }

    public static SessionPolicy none() {
        return NONE;
    }

    /**
     * An MTA-STS policy from its text as served: one policy string per line, line ends (CRLF or
     * LF) and empty lines dropped.
     */
    public static SessionPolicy sts(String policyText, List<String> mxPatterns) {
        List<String> lines = policyText.lines().map(line -> line.endsWith("\r") ? line.substring(0, line.length() - 1) : line)
                .filter(line -> !line.isBlank()).toList();
        return new SessionPolicy(PolicyType.STS, lines, mxPatterns);
    }

    /**
     * DANE for one MX host (RFC 8460 section 4.3: the TLSA RRset used): each record in its
     * presentation form ({@code 3 1 1 0a1b...}, RFC 6698 section 2.3). DANE governs host by host,
     * so each host's records are a policy of their own. No records when they could not be had
     * (their DNSSEC validation failed).
     */
    public static SessionPolicy tlsa(String mxHost, List<String> tlsaRecords) {
        return new SessionPolicy(PolicyType.TLSA, tlsaRecords, List.of(TlsSession.normalize(mxHost)));
    }
}
