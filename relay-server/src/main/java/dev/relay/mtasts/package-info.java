/**
 * MTA-STS (RFC 8461). The pure core, no network and no I/O: {@link dev.relay.mtasts.StsRecordParser}
 * (TXT records to a {@link dev.relay.text.TxtDiscovery} of {@link dev.relay.mtasts.StsRecord}),
 * {@link dev.relay.mtasts.PolicyParser} (policy file to {@link dev.relay.mtasts.PolicyParse} with
 * {@link dev.relay.mtasts.Policy}, {@link dev.relay.mtasts.PolicyMode},
 * {@link dev.relay.mtasts.MxPattern}), and {@link dev.relay.mtasts.PolicyDecision} (policy and
 * one MX host to a {@link dev.relay.mtasts.HostVerdict}).
 *
 * <p>Fetching and caching wrap these. Door:
 * <ul>
 *   <li>{@link dev.relay.mtasts.MtaStsPolicies}: the service delivery asks,
 *       {@code policyFor(domain)} giving a {@link dev.relay.mtasts.DomainPolicy} ({@code Active},
 *       {@code NoPolicy}, or {@code Unavailable} when DNS failed and nothing is cached: defer);
 *       {@code refresh(domain)} for operators; {@code snapshot()} giving
 *       {@link dev.relay.mtasts.PolicyStatus} per domain; {@code start()}/{@code close()} for the
 *       background refresh. Events go to {@link dev.relay.mtasts.MtaStsEvents}.</li>
 *   <li>{@link dev.relay.mtasts.PolicyFetcher}: HTTPS GET of the policy over Netty with the
 *       relay's DNS and TLS verification, giving a {@link dev.relay.mtasts.FetchResult}
 *       ({@code Fetched} or {@code Failed} with a {@link dev.relay.mtasts.FetchFailure} whose
 *       label is the {@code result} of {@code relay_mtasts_policy_fetches_total}).</li>
 *   <li>{@link dev.relay.mtasts.PolicyStore}: the policies on disk under
 *       {@code mta-sts.cache-directory}; only {@code open(directory)} is public.</li>
 * </ul>
 *
 * <p>Wiring, as {@code RelayApplication} would do it:
 * <pre>{@code
 * PolicyFetcher fetcher = PolicyFetcher.builder(dns, clientTls, eventLoopGroup)
 *         .port(config.mtaSts().httpsPort()).build();
 * MtaStsPolicies policies = MtaStsPolicies.builder(dns, fetcher, PolicyStore.open(config.mtaSts().cacheDirectory()))
 *         .clock(clock).events(events).build();
 * policies.start();
 * ...
 * policies.close();
 * }</pre>
 *
 * <p>Tests: {@code dev.relay.mtasts.testkit.TestPolicyServer} in the relay-server test jar, an
 * HTTPS server on loopback serving any number of {@code mta-sts.<domain>} hosts on one port,
 * with certificates from {@code TestCertificates} chosen by SNI and responses set at run time.
 */
package dev.relay.mtasts;
