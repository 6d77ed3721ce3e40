package dev.relay.dns;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A host's addresses with what DNSSEC proved of them, and the name they were found at: what
 * RFC 7672 section 2.2.2 needs to decide a host's TLSA base domain. DANE applies only to a host
 * whose address records are secure; when the host name is an alias, the TLSA records are looked
 * up at the expanded name first (if the whole CNAME chain is secure), then at the name itself.
 *
 * @param result the addresses, as {@link DnsResolver#lookupAddresses} gives them
 * @param status {@link DnssecStatus#SECURE} only when both the A and the AAAA answers (records
 *     or proved absence) are secure; {@link DnssecStatus#BOGUS} when either is bogus;
 *     {@link DnssecStatus#ERROR} when either question failed (the result may still hold the other
 *     family's addresses)
 * @param expandedName the name the address records are owned by, after CNAMEs (lower case, no
 *     trailing dot); the host name itself when it is no alias or nothing was found
 */
public record ValidatedAddresses(DnsResult<InetAddress> result, DnssecStatus status, String expandedName) {
    public ValidatedAddresses {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(expandedName, "expandedName");
    }

    public boolean isSecure() {
        return status == DnssecStatus.SECURE;
    }
}
