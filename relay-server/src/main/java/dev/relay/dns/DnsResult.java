package dev.relay.dns;

import java.util.List;
import java.util.Objects;

/**
 * What DNS said to one lookup of values of type {@code T}: MX hosts ({@link MxHost}), a host's
 * addresses ({@link java.net.InetAddress}) or TXT strings ({@link String}). A DNS failure is
 * never confused with an answer: only {@link TemporaryFailure} means "we could not find out".
 *
 * <p>One case belongs to one lookup only: {@link NullMx} is a {@code DnsResult<MxHost>}, so a
 * switch over addresses or texts need not (and cannot) name it.
 *
 * @param <T> the type of one found value
 */
public sealed interface DnsResult<T> {

    /**
     * The values found, never empty:
     * <ul>
     * <li>MX hosts sorted by preference; hosts of equal preference are in random order (RFC 5321
     *     5.1), drawn afresh on every lookup so load spreads even when the answer is cached;
     * <li>a host's A and AAAA addresses in connection order (see {@link AddressOrder}); each
     *     carries the host name that was looked up, so
     *     {@link java.net.InetAddress#getHostName()} never triggers a reverse lookup;
     * <li>one string per TXT record, in the order DNS gave them; the character-strings of a
     *     record are joined without any separator (RFC 7208 3.3, RFC 8461 3.1) and decoded as
     *     UTF-8.
     * </ul>
     */
    record Found<T>(List<T> values) implements DnsResult<T> {
        public Found {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("nothing found");
            }
        }
    }

    /**
     * The name exists but has no records of the asked type(s). For an MX lookup (and an address
     * literal given as a mail domain) the domain itself is the implicit MX (RFC 5321 5.1), so
     * look up its addresses.
     */
    record NoData<T>() implements DnsResult<T> {}

    /** NXDOMAIN: the name does not exist (or is not a valid domain name at all). */
    record NoSuchDomain<T>() implements DnsResult<T> {}

    /** The domain publishes a null MX ({@code 0 .}, RFC 7505): it accepts no mail at all. */
    record NullMx() implements DnsResult<MxHost> {}

    /**
     * SERVFAIL, REFUSED, timeout, network error or a broken answer: try again later. For an
     * address lookup: no address found and at least one of the two questions failed. For
     * MTA-STS this must never be read as "no policy".
     */
    record TemporaryFailure<T>(String reason) implements DnsResult<T> {
        public TemporaryFailure {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
