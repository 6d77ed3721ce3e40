package dev.relay.mtasts;

import dev.relay.label.LowerCaseLabel;

/**
 * Why a policy could not be had from {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}.
 * Each kind is one value of the {@code result} label of {@code relay_mtasts_policy_fetches_total}
 * (the other value is {@code ok}).
 */
public enum FetchFailure implements LowerCaseLabel {
    /** {@code mta-sts.<domain>} has no address: NXDOMAIN, no A/AAAA, or the lookup failed. */
    DNS_ERROR,
    /** No address accepted a connection, or the connection ended before any response. */
    CONNECT_ERROR,
    /** The TLS handshake failed, or the certificate is not trusted or not valid for the policy host. */
    TLS_ERROR,
    /** No complete response within the fetch's time limit. */
    TIMEOUT,
    /** A status other than 200 (and other than a redirect), or a malformed HTTP response. */
    HTTP_STATUS,
    /** A 3xx: redirects are never followed (RFC 8461 section 3.3). */
    REDIRECT,
    /** The body is over the size limit (64 KB by default). */
    TOO_LARGE,
    /**
     * A 200 whose media type is not {@code text/plain} (parameters such as a charset aside), or
     * that has none. RFC 8461 section 3.3 asks for the check: on a web server where users can host
     * their own files under a path, a file with another type is not the domain's policy.
     */
    WRONG_MEDIA_TYPE,
    /** The body arrived but is not a valid policy; set by the layer that parses it, never by the fetcher. */
    INVALID_POLICY;
}
