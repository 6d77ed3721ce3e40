package dev.relay.tlsrpt;

import dev.relay.concurrent.FutureFailures;
import dev.relay.text.Durations;
import dev.relay.text.TxtDiscovery;
import dev.relay.tlsrpt.TlsRptLookup.Found;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each day's reports (RFC 8460 section 4.1 and 5): after UTC midnight, each policy domain
 * with counts of the day before gets its report at a random moment before {@code
 * tls-rpt.send-by-hour}, so that receivers are not flooded on the hour. Per report: discover
 * {@code _smtp._tls.<domain>} (no record or an invalid one: no report, the counts are dropped),
 * build the JSON, gzip it, and send it to every destination of the record: POST to
 * {@code https:}, mail through the relay's own queue to {@code mailto:}. A destination that fails
 * (and a DNS lookup that fails) is tried again with growing pauses for a day after the report was
 * due, then given up with a log line. The counts of a day and domain are forgotten once every
 * destination is done; until then they stay in the counter file, so a restart sends them again.
 *
 * <p>All state lives on one thread; DNS, HTTP and the queue answer on theirs and hop back.
 */
public final class DailyReports implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DailyReports.class);

    /** Pauses between tries of one destination; the last repeats until the day is over. */
    static final List<Duration> BACKOFF = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2));
    /** How long after it was due a report is still tried. */
    static final Duration GIVE_UP_AFTER = Duration.ofDays(1);
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(20);

    private final SessionCounters counters;
    private final TlsRptSettings settings;
    private final TlsRptLookup lookup;
    private final HttpsCollector https;
    private final ReportMailer mailer;
    private final Clock clock;
    private final RandomGenerator random;
    private final TlsRptEvents events;
    private final ReportHistory history;
    private final ScheduledExecutorService executor;
    /** Executor thread only. */
    private final Map<Key, Job> jobs = new HashMap<>();

    /** @param partial a report of today so far ({@code send --now}); its counts stay */
    private record Key(LocalDate day, String domain, boolean partial) {}

    private enum State { WAITING, LOOKING, SENDING }

    private static final class Job {
        final Key key;
        final Instant giveUpAt;
        Instant due;
        State state = State.WAITING;
        int lookups;
        TlsReport report;
        byte[] gzip;
        final List<Destination> destinations = new ArrayList<>();

        Job(Key key, Instant due) {
            this.key = key;
            this.due = due;
            this.giveUpAt = due.plus(GIVE_UP_AFTER);
        }
    }

    private static final class Destination {
        final ReportUri uri;
        int attempts;
        Instant nextTry;
        boolean inFlight;
        boolean done;

        Destination(ReportUri uri, Instant nextTry) {
            this.uri = uri;
            this.nextTry = nextTry;
        }
    }

    public DailyReports(SessionCounters counters, TlsRptSettings settings, TlsRptLookup lookup, HttpsCollector https,
            ReportMailer mailer, Clock clock, RandomGenerator random, TlsRptEvents events, ReportHistory history) {
        this.counters = counters;
        this.settings = settings;
        this.lookup = lookup;
        this.https = https;
        this.mailer = mailer;
        this.clock = clock;
        this.random = random;
        this.events = events;
        this.history = history;
        this.executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tlsrpt-sender").daemon().factory());
    }

    /** Looks for due work every {@code tick} (the clock may be a test's; the ticks are real time). */
    public void start(Duration tick) {
        long millis = tick.toMillis();
        executor.scheduleWithFixedDelay(this::tickQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    public ReportHistory history() {
        return history;
    }

    /**
     * {@code tls-rpt send --now}: every report waiting for its moment goes now, and each domain
     * with counts today gets a report of today so far (the day's whole report still follows).
     *
     * @return the reports started, as {@code domain (date)}
     */
    public CompletableFuture<List<String>> sendNow() {
        return CompletableFuture.supplyAsync(() -> {
            Instant now = clock.instant();
            List<String> started = new ArrayList<>();
            findDue(now);
            for (Job job : jobs.values()) {
                if (job.state == State.WAITING && !job.key.partial()) {
                    job.due = now;
                    started.add(job.key.domain() + " (" + job.key.day() + ")");
                }
                job.destinations.forEach(d -> d.nextTry = now);
            }
            LocalDate today = counters.today();
            counters.day(today).ifPresent(day -> day.domains().forEach(domain -> {
                Key key = new Key(today, domain.domain(), true);
                if (!jobs.containsKey(key)) {
                    jobs.put(key, new Job(key, now));
                    started.add(domain.domain() + " (" + today + " so far)");
                }
            }));
            tick();
            return List.copyOf(started);
        }, executor);
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.error("tls-rpt: sending reports failed: {}", e.toString(), e);
        }
    }

    private void tick() {
        Instant now = clock.instant();
        findDue(now);
        for (Job job : List.copyOf(jobs.values())) {
            switch (job.state) {
                case WAITING -> {
                    if (!now.isBefore(job.due)) {
                        look(job);
                    }
                }
                case LOOKING -> { }
                case SENDING -> sendDue(job, now);
            }
        }
    }

    /** A job for each completed day and domain not yet in hand, due at a random moment of the sending window. */
    private void findDue(Instant now) {
        long window = Duration.ofHours(settings.sendByHour()).toSeconds();
        for (DayCounts day : counters.completedDays()) {
            Instant midnight = day.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            for (DomainCounts domain : day.domains()) {
                Key key = new Key(day.day(), domain.domain(), false);
                if (!jobs.containsKey(key)) {
                    Instant due = midnight.plusSeconds(random.nextLong(window));
                    jobs.put(key, new Job(key, due.isBefore(now) && now.isAfter(midnight.plusSeconds(window)) ? now : due));
                }
            }
        }
    }

    private void look(Job job) {
        job.state = State.LOOKING;
        lookup.discover(job.key.domain()).whenCompleteAsync((found, error) -> {
            Instant now = clock.instant();
            if (error != null || found instanceof Found.TryLater) {
                String reason = error != null ? error.toString() : ((Found.TryLater) found).reason();
                Instant next = now.plus(backoff(job.lookups++));
                if (next.isAfter(job.giveUpAt)) {
                    log.warn("tls-rpt: report for {} of {} given up: _smtp._tls.{} could not be looked up ({})",
                            job.key.domain(), job.key.day(), job.key.domain(), reason);
                    finish(job, "", "failed", "_smtp._tls lookup failed: " + reason);
                } else {
                    job.state = State.WAITING;
                    job.due = next;
                }
                return;
            }
            TxtDiscovery<TlsRptRecord> discovery = ((Found.Answer) found).discovery();
            switch (discovery) {
                case TxtDiscovery.NoRecord<TlsRptRecord> none -> {
                    log.info("tls-rpt: {} publishes no _smtp._tls record: no report for {}", job.key.domain(), job.key.day());
                    finish(job, "", "no-record", "no _smtp._tls record");
                }
                case TxtDiscovery.Invalid<TlsRptRecord> invalid -> {
                    log.info("tls-rpt: the _smtp._tls record of {} is invalid ({}): no report for {}", job.key.domain(),
                            invalid.reason(), job.key.day());
                    finish(job, "", "invalid-record", invalid.reason());
                }
                case TxtDiscovery.Found<TlsRptRecord> record -> build(job, record.record(), now);
            }
        }, executor);
    }

    private void build(Job job, TlsRptRecord record, Instant now) {
        Optional<DomainCounts> counts = counters.domain(job.key.day(), job.key.domain());
        if (counts.isEmpty()) {
            jobs.remove(job.key);
            return;
        }
        job.report = job.key.partial()
                ? TlsReports.partial(counts.get(), settings, now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                : TlsReports.build(counts.get(), settings);
        job.gzip = TlsReportJson.gzip(job.report);
        record.destinations().forEach(uri -> job.destinations.add(new Destination(uri, now)));
        job.state = State.SENDING;
        sendDue(job, now);
    }

    private void sendDue(Job job, Instant now) {
        for (Destination destination : job.destinations) {
            if (destination.done || destination.inFlight || now.isBefore(destination.nextTry)) {
                continue;
            }
            destination.inFlight = true;
            destination.attempts++;
            switch (destination.uri) {
                case ReportUri.Https uri -> https.post(uri.uri(), job.gzip).whenCompleteAsync((result, error) -> {
                    destination.inFlight = false;
                    if (result instanceof HttpsCollector.Result.Accepted accepted) {
                        done(job, destination, "https", true, "sent", "HTTP " + accepted.status());
                    } else {
                        String reason = result instanceof HttpsCollector.Result.Failed failed ? failed.reason()
                                : String.valueOf(error);
                        failed(job, destination, "https", reason);
                    }
                }, executor);
                case ReportUri.Mailto mailto -> {
                    byte[] message = ReportMail.compose(job.report, job.key.domain(), job.gzip, settings.reportSender(),
                            mailto.address(), settings.submitter(), now, messageId(job, now));
                    mailer.queue(settings.reportSender(), mailto.address(), message).whenCompleteAsync((id, error) -> {
                        destination.inFlight = false;
                        if (error == null) {
                            done(job, destination, "mailto", true, "queued", "queued as " + id);
                        } else {
                            failed(job, destination, "mailto", "the queue refused it: " + FutureFailures.rootMessage(error));
                        }
                    }, executor);
                }
            }
        }
    }

    private void failed(Job job, Destination destination, String transport, String reason) {
        Instant now = clock.instant();
        Instant next = now.plus(backoff(destination.attempts - 1));
        if (next.isAfter(job.giveUpAt)) {
            log.warn("tls-rpt: report {} to {} given up after {} tries: {}", job.report.reportId(), destination.uri.text(),
                    destination.attempts, reason);
            done(job, destination, transport, false, "failed", reason);
            return;
        }
        destination.nextTry = next;
        log.info("tls-rpt: report {} to {} failed ({}); trying again in {}", job.report.reportId(),
                destination.uri.text(), reason, Durations.format(Duration.between(now, next)));
        history.add(new SentReport(job.key.day(), job.key.domain(), job.report.reportId(), destination.uri.text(),
                "retrying", reason, now));
    }

    private void done(Job job, Destination destination, String transport, boolean sent, String result, String detail) {
        destination.done = true;
        events.reportFinished(transport, sent);
        if (sent) {
            log.info("tls-rpt: report {} for {} {} to {} ({})", job.report.reportId(), job.key.domain(),
                    result.equals("queued") ? "mailed" : "sent", destination.uri.text(), detail);
        }
        history.add(new SentReport(job.key.day(), job.key.domain(), job.report.reportId(), destination.uri.text(), result,
                detail, clock.instant()));
        if (job.destinations.stream().allMatch(d -> d.done)) {
            forget(job);
        }
    }

    private void finish(Job job, String destination, String result, String detail) {
        String id = job.key.partial() ? "" : TlsReports.reportId(job.key.day(), job.key.domain(), settings.submitter());
        history.add(new SentReport(job.key.day(), job.key.domain(), id, destination, result, detail, clock.instant()));
        forget(job);
    }

    private void forget(Job job) {
        jobs.remove(job.key);
        if (!job.key.partial()) {
            counters.remove(job.key.day(), job.key.domain());
        }
    }

    private String messageId(Job job, Instant now) {
        return "tlsrpt." + job.key.day() + "." + now.toEpochMilli() + "." + Long.toHexString(random.nextLong()) + "@"
                + settings.submitter();
    }

    private static Duration backoff(int attempt) {
        return BACKOFF.get(Math.min(Math.max(attempt, 0), BACKOFF.size() - 1));
    }

    /** Reports of days not yet due, or being sent: how many, for {@code tls-rpt show}. */
    public CompletableFuture<Integer> pending() {
        return CompletableFuture.supplyAsync(() -> {
            findDue(clock.instant());
            return (int) jobs.keySet().stream().filter(k -> !k.partial()).count();
        }, executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        https.close();
    }

}
