/**
 * Name resolution for delivery and MTA-STS: MX (null MX, implicit MX), A/AAAA and TXT through
 * dnsjava and {@code delivery.dns.servers}, never the JVM's resolver. Asynchronous, cached
 * within TTLs (negative answers too, RFC 2308), and NXDOMAIN or no-data kept apart from
 * SERVFAIL, timeouts and network errors, so a DNS outage is never read as "no MX" or "no
 * policy". The DNSSEC-aware lookups for DANE ({@code lookupMxValidated}, {@code lookupTlsa})
 * say whether an answer is secure, insecure or bogus ({@link dev.relay.dns.DnssecStatus},
 * {@link dev.relay.dns.Validated}, {@link dev.relay.dns.TlsaResult}), validated by dnsjava
 * from {@link dev.relay.dns.TrustAnchors} or read from a trusted AD bit
 * ({@link dev.relay.dns.DnssecMode}).
 *
 * <p>Door: {@link dev.relay.dns.DnsResolver} (built from
 * {@link dev.relay.dns.DnsSettings} or its {@link dev.relay.dns.DnsResolver.Builder}),
 * the result {@link dev.relay.dns.DnsResult} (of {@link dev.relay.dns.MxHost}s, addresses or
 * TXT strings), the options
 * {@link dev.relay.dns.AddressOrder}, and the metrics hook {@link dev.relay.dns.DnsEvents}
 * with {@link dev.relay.dns.LookupType} and {@link dev.relay.dns.ResultKind}. Tests run a real
 * DNS server on loopback: {@code dev.relay.dns.testkit.TestDnsServer} in the relay-server test
 * jar.
 */
package dev.relay.dns;
