package dev.relay.delivery;

import dev.relay.dane.TlsaRecords;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.DnsResult;
import dev.relay.dns.DnssecStatus;
import dev.relay.dns.TlsaResult;
import dev.relay.dns.ValidatedAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The DNS side of DANE for one MX host (RFC 7672 section 2.2): its addresses and, when the MX
 * lookup was DNSSEC-secure and so are the addresses, its TLSA records at {@code _25._tcp}, at the
 * CNAME-expanded name first and then at the host name (section 2.2.2). TLSA records are looked
 * up for port 25 whatever port delivery connects to: DANE for SMTP is defined for port 25.
 * Answers are cached by the resolver within their TTLs and signature lifetimes.
 */
public final class DaneLookup {

    /** The port TLSA records are published for (RFC 7672 section 2.2). */
    static final int SMTP_PORT = 25;

    /**
     * @param addresses as for any host: what the walk connects to
     * @param dane what DANE asks of the host
     */
    public record Found(DnsResult<InetAddress> addresses, DaneHost dane) {
        public Found {
            Objects.requireNonNull(addresses, "addresses");
            Objects.requireNonNull(dane, "dane");
        }
    }

    private final DnsResolver dns;

    public DaneLookup(DnsResolver dns) {
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    /**
     * @param host the MX host name as the MX record gave it (or the domain, for an implicit MX)
     * @param secureMx whether the MX lookup (or its secure absence) was DNSSEC-secure
     */
    public CompletableFuture<Found> host(String host, boolean secureMx) {
        if (!secureMx) {
            return dns.lookupAddresses(host).toCompletableFuture().thenApply(addresses -> new Found(addresses,
                    new DaneHost.NotApplicable("the MX lookup is not DNSSEC-secure")));
        }
        return dns.lookupAddressesValidated(host).toCompletableFuture().thenCompose(found -> withAddresses(host, found));
    }

    private CompletableFuture<Found> withAddresses(String host, ValidatedAddresses found) {
        if (found.status() == DnssecStatus.BOGUS) {
            return done(found, new DaneHost.Unverifiable("the address records of " + host
                    + " fail DNSSEC validation"));
        }
        if (!(found.result() instanceof DnsResult.Found<InetAddress>)) {
            return done(found, new DaneHost.NotApplicable("the host has no address"));
        }
        if (found.status() == DnssecStatus.ERROR) {
            // addresses of one family, but the other's lookup failed: whether DANE applies is unknown
            return done(found, new DaneHost.Unverifiable("a lookup of the address records of " + host
                    + " failed, so their DNSSEC status is unknown"));
        }
        if (!found.isSecure()) {
            return done(found, new DaneHost.NotApplicable("the address records of " + host + " are not DNSSEC-secure"));
        }
        List<String> bases = new ArrayList<>();
        bases.add(found.expandedName());
        if (!found.expandedName().equals(host)) {
            bases.add(host);
        }
        return tlsa(bases, 0, List.of(host, found.expandedName()).stream().distinct().toList())
                .thenApply(dane -> new Found(found.result(), dane));
    }

    /** The TLSA records at {@code bases[i]}, or the next base's when these are proved absent or insecure. */
    private CompletableFuture<DaneHost> tlsa(List<String> bases, int i, List<String> names) {
        String base = bases.get(i);
        String name = "_" + SMTP_PORT + "._tcp." + base;
        return dns.lookupTlsa(base, SMTP_PORT).toCompletableFuture().thenCompose(result -> {
            DaneHost dane = switch (result) {
                case TlsaResult.Secure secure -> switch (TlsaRecords.classify(secure.records())) {
                    case TlsaRecords.Usable usable -> new DaneHost.Verify(usable, name, names);
                    case TlsaRecords.OnlyUnusable unusable -> new DaneHost.EncryptOnly(unusable, name);
                    case TlsaRecords.None none -> new DaneHost.NotApplicable("no TLSA records at " + name);
                };
                case TlsaResult.NoRecords none -> new DaneHost.NotApplicable("no TLSA records at " + name);
                case TlsaResult.Insecure insecure -> new DaneHost.NotApplicable("the TLSA records at " + name
                        + " are not DNSSEC-secure");
                case TlsaResult.Bogus bogus -> new DaneHost.Unverifiable("the TLSA records at " + name
                        + " fail DNSSEC validation (" + bogus.reason() + ")");
                case TlsaResult.TemporaryFailure failure -> new DaneHost.Unverifiable("the TLSA lookup of " + name
                        + " failed (" + failure.reason() + ")");
            };
            if (dane instanceof DaneHost.NotApplicable && i + 1 < bases.size()) {
                return tlsa(bases, i + 1, names);
            }
            return CompletableFuture.completedFuture(dane);
        });
    }

    private static CompletableFuture<Found> done(ValidatedAddresses found, DaneHost dane) {
        return CompletableFuture.completedFuture(new Found(found.result(), dane));
    }
}
