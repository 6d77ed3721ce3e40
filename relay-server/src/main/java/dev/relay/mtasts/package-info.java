/**
 * MTA-STS (RFC 8461). The pure core, no network and no I/O: {@link dev.relay.mtasts.StsRecordParser}
 * (TXT records to {@link dev.relay.mtasts.StsDiscovery} with {@link dev.relay.mtasts.StsRecord}),
 * {@link dev.relay.mtasts.PolicyParser} (policy file to {@link dev.relay.mtasts.PolicyParse} with
 * {@link dev.relay.mtasts.Policy}, {@link dev.relay.mtasts.PolicyMode},
 * {@link dev.relay.mtasts.MxPattern}), and {@link dev.relay.mtasts.PolicyDecision} (policy and
 * one MX host to a {@link dev.relay.mtasts.HostVerdict}). Fetching and caching wrap these.
 */
package dev.relay.mtasts;
