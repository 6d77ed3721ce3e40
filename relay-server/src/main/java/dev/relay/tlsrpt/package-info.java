/**
 * TLS reporting (RFC 8460): what a domain learns about our TLS sessions to it. In progress: the
 * parts below exist and are tested; delivery does not feed them yet and no report is sent.
 *
 * <p>The pure core, no I/O:
 * <ul>
 *   <li>{@link dev.relay.tlsrpt.TlsRptRecordParser}: the {@code _smtp._tls} TXT records to a
 *       {@link dev.relay.tlsrpt.TlsRptDiscovery} ({@code Found} with a
 *       {@link dev.relay.tlsrpt.TlsRptRecord} of {@link dev.relay.tlsrpt.ReportUri}s,
 *       {@code NoRecord}, {@code Invalid}).</li>
 *   <li>{@link dev.relay.tlsrpt.TlsSession}: one session as counted (policy domain,
 *       {@link dev.relay.tlsrpt.SessionPolicy}, success or a {@code Failure} with an RFC 8460
 *       result type from {@code outcome.Cause}); {@link dev.relay.tlsrpt.TlsSessions#fromOutcome}
 *       reads them out of a delivery {@code Outcome}.</li>
 *   <li>{@link dev.relay.tlsrpt.TlsReport} and {@link dev.relay.tlsrpt.TlsReports}: the report of
 *       section 4 from a domain's {@link dev.relay.tlsrpt.DomainCounts};
 *       {@link dev.relay.tlsrpt.TlsReportJson} writes it as JSON and gzip.</li>
 * </ul>
 *
 * <p>State: {@link dev.relay.tlsrpt.SessionCounters} (per UTC day, domain and policy; bounded by
 * {@link dev.relay.tlsrpt.CounterLimits}) and {@link dev.relay.tlsrpt.DurableCounters}, which keeps
 * them in {@code <spool>/tlsrpt/counters.json} through {@link dev.relay.tlsrpt.CounterStore}
 * (atomic snapshot every 5 seconds: a SIGKILL loses at most that). Settings:
 * {@link dev.relay.tlsrpt.TlsRptSettings} ({@code tls-rpt.*}).
 *
 * <p>Wiring, as the application root will do it:
 * <pre>{@code
 * DurableCounters counters = DurableCounters.open(spoolDirectory.resolve("tlsrpt"), clock,
 *         CounterLimits.DEFAULT, DurableCounters.DEFAULT_SAVE_EVERY);
 * // delivery, per attempt:
 * TlsSessions.fromOutcome(domain, SessionPolicy.sts(policyText, mxPatterns), outcome).forEach(counters::record);
 * // after UTC midnight, per completed day and domain:
 * byte[] body = TlsReportJson.gzip(TlsReports.build(domainCounts, settings));
 * counters.counters().remove(day, domain);   // once sent
 * ...
 * counters.close();
 * }</pre>
 */
package dev.relay.tlsrpt;
