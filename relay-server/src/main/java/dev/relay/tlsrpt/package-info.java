/**
 * TLS reporting (RFC 8460): what a domain learns about our TLS sessions to it.
 *
 * <p>The pure core, no I/O:
 * <ul>
 *   <li>{@link dev.relay.tlsrpt.TlsRptRecordParser}: the {@code _smtp._tls} TXT records to a
 *       {@link dev.relay.text.TxtDiscovery} ({@code Found} with a
 *       {@link dev.relay.tlsrpt.TlsRptRecord} of {@link dev.relay.tlsrpt.ReportUri}s,
 *       {@code NoRecord}, {@code Invalid}).</li>
 *   <li>{@link dev.relay.tlsrpt.TlsSession}: one session as counted (policy domain,
 *       {@link dev.relay.tlsrpt.SessionPolicy}, success or a {@code Failure} with an RFC 8460
 *       result type from {@code outcome.Cause}); {@link dev.relay.tlsrpt.TlsSessions#fromOutcome}
 *       reads them out of a delivery {@code Outcome}.</li>
 *   <li>{@link dev.relay.tlsrpt.TlsReport} and {@link dev.relay.tlsrpt.TlsReports}: the report of
 *       section 4 from a domain's {@link dev.relay.tlsrpt.DomainCounts};
 *       {@link dev.relay.tlsrpt.TlsReportJson} writes it as JSON and gzip,
 *       {@link dev.relay.tlsrpt.ReportMail} as the mail of section 5.3.</li>
 * </ul>
 *
 * <p>State: {@link dev.relay.tlsrpt.SessionCounters} (per UTC day, domain and policy; bounded by
 * {@link dev.relay.tlsrpt.CounterLimits}) and {@link dev.relay.tlsrpt.DurableCounters}, which keeps
 * them in {@code <spool>/tlsrpt/counters.json} through {@link dev.relay.tlsrpt.CounterStore}
 * (atomic snapshot every 5 seconds: a SIGKILL loses at most that). Settings:
 * {@link dev.relay.tlsrpt.TlsRptSettings} ({@code tls-rpt.*}).
 *
 * <p>Around them: delivery hands its sessions to a {@link dev.relay.tlsrpt.SessionSink}
 * ({@code delivery.TlsRptTally} makes them); {@link dev.relay.tlsrpt.DailyReports} sends each
 * day's reports after UTC midnight (discovery through {@link dev.relay.tlsrpt.TlsRptLookup},
 * POST through {@link dev.relay.tlsrpt.HttpsCollector}, mail through a
 * {@link dev.relay.tlsrpt.ReportMailer} into the relay's queue), keeping what became of them in a
 * {@link dev.relay.tlsrpt.ReportHistory}. The application root ({@code TlsReporting}) wires them.
 */
package dev.relay.tlsrpt;
