package dev.relay;

import dev.relay.config.RelayConfig;
import dev.relay.dns.DnsResolver;
import dev.relay.queue.BodyType;
import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.RecipientAddress;
import dev.relay.tls.HttpsTrust;
import dev.relay.tls.Pem;
import dev.relay.tlsrpt.CounterLimits;
import dev.relay.tlsrpt.DailyReports;
import dev.relay.tlsrpt.DurableCounters;
import dev.relay.tlsrpt.HttpsCollector;
import dev.relay.tlsrpt.ReportHistory;
import dev.relay.tlsrpt.ReportMailer;
import dev.relay.tlsrpt.SessionCounters;
import dev.relay.tlsrpt.SessionSink;
import dev.relay.tlsrpt.TlsRptEvents;
import dev.relay.tlsrpt.TlsRptLookup;
import dev.relay.tlsrpt.TlsRptSettings;
import dev.relay.tlsrpt.TlsSession;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS reporting as one unit (when {@code tls-rpt.enabled}): the counters, opened before delivery
 * so that it can feed them, and the daily sender, started once delivery has its resolver. Report
 * mail goes into the relay's own queue marked as a TLS report (delivered despite TLS policy
 * failures, not counted itself).
 */
final class TlsReporting implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TlsReporting.class);

    private final TlsRptSettings settings;
    private final DurableCounters counters;
    private final TlsRptEvents events;
    private final Clock clock;
    private Optional<DailyReports> reports = Optional.empty();
    private Optional<ExecutorService> httpExecutor = Optional.empty();

    private TlsReporting(TlsRptSettings settings, DurableCounters counters, TlsRptEvents events, Clock clock) {
        this.settings = settings;
        this.counters = counters;
        this.events = events;
        this.clock = clock;
    }

    /** The counters in {@code <spool>/tlsrpt}; empty when TLS reporting is off. */
    static Optional<TlsReporting> open(RelayConfig config, Clock clock, TlsRptEvents events) {
        if (!config.tlsRpt().enabled()) {
            return Optional.empty();
        }
        Path directory = config.spool().directory().resolve("tlsrpt");
        try {
            DurableCounters counters = DurableCounters.open(directory, clock, CounterLimits.DEFAULT,
                    DurableCounters.DEFAULT_SAVE_EVERY);
            return Optional.of(new TlsReporting(config.tlsRpt(), counters, events, clock));
        } catch (IOException e) {
            throw new StartupException("tls-rpt: cannot open the counter directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Where delivery hands its sessions: the counters and the session metric. */
    SessionSink sink() {
        return session -> {
            counters.record(session);
            events.sessionCounted(session.policy().type(), session.result() instanceof TlsSession.Success);
        };
    }

    SessionCounters counters() {
        return counters.counters();
    }

    Optional<DailyReports> reports() {
        return reports;
    }

    /** Starts the daily sender; without a resolver (delivery off) nothing can be discovered, so nothing is sent. */
    void startSending(Optional<DnsResolver> dns, MessageQueue queue, RelayConfig config, Duration tick) {
        if (dns.isEmpty()) {
            log.warn("tls-rpt: no DNS resolver, so no reports are sent (sessions are still counted)");
            return;
        }
        List<X509Certificate> extra = config.delivery().tls().extraTrust()
                .map(file -> Pem.readCertificates(file, "delivery.tls.extra-trust")).orElse(List.of());
        ExecutorService http = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("tlsrpt-https", 0).daemon().factory());
        httpExecutor = Optional.of(http);
        DailyReports daily = new DailyReports(counters.counters(), settings, TlsRptLookup.dns(dns.get()),
                new HttpsCollector(HttpsTrust.withExtraRoots(extra), http), mailer(queue, config.hostname()), clock,
                new SecureRandom(), events, ReportHistory.open(config.spool().directory().resolve("tlsrpt"), clock));
        daily.start(tick);
        reports = Optional.of(daily);
        log.info("tls-rpt on: sessions counted in {}, reports sent after UTC midnight, by {}:00 UTC, as {}",
                config.spool().directory().resolve("tlsrpt"), settings.sendByHour(), settings.submitter());
    }

    /** Report mail into the queue, marked as a TLS report (its loop guard and its TLS exemption). */
    private ReportMailer mailer(MessageQueue queue, String hostname) {
        return (from, to, message) -> {
            MessageDraft draft = null;
            try {
                draft = queue.newDraft();
                draft.write(message);
                Envelope envelope = new Envelope(from, List.of(new RecipientAddress(to, Set.of(), Optional.empty())),
                        new MailParameters(OptionalLong.empty(), BodyType.SEVEN_BIT, false, Optional.empty(),
                                Optional.empty()).asTlsReport(),
                        clock.instant(), "127.0.0.1", hostname, Optional.empty());
                CompletionStage<String> committed = draft.commit(envelope).thenApply(id -> id.value());
                draft = null;
                return committed;
            } catch (IOException | RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            } finally {
                if (draft != null) {
                    draft.close();
                }
            }
        };
    }

    @Override
    public void close() {
        reports.ifPresent(DailyReports::close);
        httpExecutor.ifPresent(ExecutorService::shutdownNow);
        try {
            counters.close();
        } catch (IOException e) {
            log.error("tls-rpt: the last save of the counters failed: {}; up to {} seconds of counts are lost", e.getMessage(),
                    DurableCounters.DEFAULT_SAVE_EVERY.toSeconds());
        }
    }
}
