/**
 * DANE for SMTP (RFC 7672, with RFC 7671's rules for TLSA): a pure core, no DNS and no
 * network. {@link dev.relay.dane.TlsaRecord} is one record, {@link dev.relay.dane.TlsaRecords}
 * sorts an RRset into usable and unusable records (what the host's TLS must be), and
 * {@link dev.relay.dane.DaneVerifier} checks a presented certificate chain against the usable
 * records, giving a {@link dev.relay.dane.DaneVerdict} whose failures carry the RFC 8460 result
 * type as a {@link dev.relay.outcome.Cause}. The TLSA lookup itself, with its DNSSEC status, is
 * {@code dev.relay.dns.DnsResolver#lookupTlsa}.
 */
package dev.relay.dane;
