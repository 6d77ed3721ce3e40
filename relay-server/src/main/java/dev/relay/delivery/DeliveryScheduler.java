package dev.relay.delivery;

import dev.relay.dns.DnsResolver;
import dev.relay.mtasts.DomainPolicies;
import dev.relay.outcome.Outcome;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecipientStatus;
import dev.relay.smtp.client.BodySource;
import dev.relay.smtp.client.ConnectionPool;
import dev.relay.tlsrpt.SessionSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the queue to the outbound client. A pass runs when the queue's next recipient falls
 * due (a timer) or on a {@link #wake()}, e.g. a newly accepted message; it takes the due
 * messages in batches and, per message, groups its due recipients by domain; each domain gets a
 * {@link DomainDelivery} (MX walk), at most {@code maxConnectionsPerDomain} of them per domain
 * at a time. When every domain of a message has its results they are recorded in one
 * {@link MessageQueue#recordResults} call, recipients that became Failed go to the
 * {@link BounceHandler}, and a message that has waited past the delay-warning threshold with
 * recipients still deferred goes, once in its life, to the {@link DelayNotifier}.
 *
 * <p>Threads: the passes run on this scheduler's single worker thread, the one every
 * continuation of a delivery runs on (a pass and the walks it starts share the thread, so a
 * due message reaches its walk without waking a second thread); DNS, Netty and the spool
 * writer complete futures on their own threads, and everything that follows hops onto the
 * worker, so no foreign thread is ever blocked or made to call the queue. (The one exception
 * is bookkeeping: a message whose every recipient was delivered is ticked off on the spool's
 * thread, which costs less than the hop.) Tests drive it without the passes:
 * {@link #runOnce(Instant)} with a fixed clock.
 */
public final class DeliveryScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryScheduler.class);

    /** How long the worker waits at most before another pass: bounds the harm of a missed one. */
    private static final Duration MAX_IDLE = Duration.ofSeconds(30);

    private final MessageQueue queue;
    private final Clock clock;
    private final ResultRecorder recorder;
    private final DeliveryEvents events;
    /** Replaced whole by {@link #reconfigure}; a domain delivery keeps the one it started with. */
    private volatile DomainDelivery.DeliveryContext context;
    private final SessionSink tlsSessions;
    private final DomainLimiter limiter;
    private final int batchSize;
    private final int maxInFlight;
    private final ScheduledThreadPoolExecutor worker;
    private final Map<QueueId, InFlight> inFlight = new ConcurrentHashMap<>();
    /** A pass is queued on the worker and has not begun: further wakes need no other. */
    private final AtomicBoolean passQueued = new AtomicBoolean();
    /** The pass planned for when the next recipient falls due; touched on the worker only (and by close). */
    private volatile ScheduledFuture<?> timer;
    private volatile boolean started;
    /** The last pass stopped at the in-flight cap: completions must start a pass once a batch fits again. */
    private volatile boolean capped;
    private final AtomicLong passes = new AtomicLong();
    private volatile boolean stopping;

    /** One message being delivered; {@code settled} makes recording and giving back exclusive. */
    private record InFlight(QueuedMessage message, AtomicBoolean settled, CompletableFuture<Void> done) {}

    private DeliveryScheduler(Builder b) {
        this.queue = b.queue;
        this.clock = b.clock;
        this.events = b.events;
        this.context = new DomainDelivery.DeliveryContext(b.dns, b.pool, b.policies, b.port, b.policyUnknownWait,
                b.clock, new RequireTlsRule.Settings(b.honourTlsRequiredNo, b.events));
        this.tlsSessions = b.tlsSessions;
        this.limiter = new DomainLimiter(b.maxConnectionsPerDomain);
        this.batchSize = b.batchSize;
        this.maxInFlight = b.maxInFlight;
        this.worker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "delivery-worker");
            t.setDaemon(true);
            return t;
        });
        // a timer replaced by a newer plan leaves the queue at once, and none outlives a stop
        worker.setRemoveOnCancelPolicy(true);
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        Optional<DelayWarnings> delayWarnings = b.delayWarningAfter.map(after -> new DelayWarnings(after,
                b.delayNotifier, b.queue, b.clock, worker));
        this.recorder = new ResultRecorder(b.queue, b.bounces, delayWarnings, b.events, worker);
    }

    /**
     * The attempt log and metrics, and the TLS report tally unless the message is itself a report
     * (its loop guard) or goes to an address literal (no domain to report to).
     */
    private DomainDelivery.Listener listenerFor(QueuedMessage message, String domain) {
        AttemptRecorder attempts = new AttemptRecorder(message, clock, events);
        return tlsSessions.equals(SessionSink.NONE) || message.envelope().parameters().tlsReport() || domain.startsWith("[")
                ? attempts
                : TlsRptTally.alongside(attempts, domain, tlsSessions);
    }

    public static Builder builder(MessageQueue queue, DnsResolver dns, ConnectionPool pool) {
        return new Builder(queue, dns, pool);
    }

    /**
     * Queue events that wake this scheduler when a message is accepted and pass everything on
     * to {@code downstream}. The queue is opened before the scheduler exists, hence the
     * indirection: see {@link WakingQueueEvents}.
     */
    public static WakingQueueEvents wakingEvents(QueueEvents downstream) {
        return new WakingQueueEvents(downstream);
    }

    /** Starts the passes: the first now, the next on a wake or when something falls due. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        wake();
    }

    /**
     * Makes a pass look at the queue now (a message arrived, or one came back). Wakes that come
     * while a pass is queued and not yet begun are served by that one pass, so a burst of
     * arrivals costs one hand-over to the worker, not one each.
     */
    public void wake() {
        if (!started || stopping || !passQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(this::pass);
        } catch (RejectedExecutionException stopped) {
            passQueued.set(false); // closed
        }
    }

    /**
     * A message joined the queue. While the in-flight cap is reached a pass could take nothing,
     * so none is started: the completion that makes room for a batch starts the next pass, and
     * that pass finds the message, since it was queued before this call.
     * A relay at its cap (slow receivers, a resolver timing out) otherwise spent a hand-over to
     * the worker and a pass on every message it accepted.
     */
    public void arrived() {
        if (!capped) {
            wake();
        }
    }

    /**
     * Takes what is due at {@code now} (as much as the in-flight cap allows) and starts its
     * delivery. The future completes once every message taken has been recorded (and its
     * bounces and delay warning handed over) or given back; it never completes exceptionally.
     */
    public CompletableFuture<Void> runOnce(Instant now) {
        passes.incrementAndGet();
        int room = maxInFlight - inFlight.size();
        if (stopping || room <= 0) {
            markCapped();
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> started = new ArrayList<>();
        int wanted = Math.min(room, batchSize);
        List<QueuedMessage> taken;
        do {
            taken = queue.takeDue(now, wanted);
            for (QueuedMessage message : taken) {
                started.add(deliver(message, now));
            }
            room -= taken.size();
            wanted = Math.min(room, batchSize);
        } while (taken.size() == batchSize && wanted > 0 && !stopping);
        if (room <= 0) {
            markCapped();
        }
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    /**
     * Completions start a pass once a whole batch fits again, rather than each one: a wake per
     * message would cost a thread switch, a queue scan and a lock per message at full speed.
     */
    private void markCapped() {
        capped = true;
        // a completion that came before the flag was up did not wake anyone: look again
        if (inFlight.size() <= wakeThreshold()) {
            wake();
        }
    }

    private int wakeThreshold() {
        return Math.max(0, maxInFlight - batchSize);
    }

    /** Passes made (each {@link #runOnce}), for tests that it rests when there is nothing to do. */
    long passes() {
        return passes.get();
    }

    /** Messages being delivered now. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * A reload: deliveries started from now on go to this port, wait this long for an unknown
     * policy, and run at most this many at a time per domain. Deliveries in progress go on as
     * they started.
     */
    public void reconfigure(int port, Duration policyUnknownWait, int maxConnectionsPerDomain) {
        DomainDelivery.DeliveryContext now = context;
        context = new DomainDelivery.DeliveryContext(now.dns(), now.pool(), now.policies(), port, policyUnknownWait,
                now.clock(), now.requireTls());
        limiter.setPermits(maxConnectionsPerDomain);
    }

    /** Stops taking messages: the first step of a graceful stop. */
    public void stopTaking() {
        stopping = true;
        ScheduledFuture<?> planned = timer;
        if (planned != null) {
            planned.cancel(false);
        }
    }

    /**
     * Stops: takes nothing more, lets deliveries in progress finish until {@code grace} is
     * over, then gives the rest back to the queue (their recipients stay due; late results are
     * dropped). Call before the queue closes.
     */
    public void close(Duration grace) {
        stopTaking();
        // a pass that began before the stop may still be taking messages: let it end first, so
        // that everything it took is in flight below
        try {
            worker.submit(() -> { }).get(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException | TimeoutException | ExecutionException e) {
            log.debug("delivery: the worker did not answer before the stop: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<CompletableFuture<Void>> pending = inFlight.values().stream().map(InFlight::done).toList();
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, grace.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.info("delivery: {} message(s) still in progress after the grace period; giving them back",
                    inFlight.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("delivery: unexpected failure while stopping: {}", e.getCause().toString());
        }
        for (InFlight left : List.copyOf(inFlight.values())) {
            if (left.settled().compareAndSet(false, true)) {
                giveBack(left.message().id());
                inFlight.remove(left.message().id());
                left.done().complete(null);
            }
        }
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /** One pass on the worker, then a timer for when the next recipient falls due. */
    private void pass() {
        // down before the pass looks: a wake from now on may have news this pass misses
        passQueued.set(false);
        if (stopping) {
            return;
        }
        Instant now = clock.instant();
        try {
            // completions wake the passes when it matters (see finished); waking on this pass's own
            // future would spin, since an empty pass completes it at once
            runOnce(now);
        } catch (RuntimeException e) {
            // the queue closing under us ends the passes; anything else must not kill delivery
            if (stopping) {
                return;
            }
            log.error("delivery pass: {}", e.toString(), e);
        }
        planNext(now);
    }

    private void planNext(Instant now) {
        Duration wait = MAX_IDLE;
        try {
            if (inFlight.size() < maxInFlight) {
                var due = queue.nextDue();
                if (due.isPresent()) {
                    Duration until = Duration.between(now, due.get());
                    wait = until.isNegative() ? Duration.ofMillis(10) : until.compareTo(MAX_IDLE) < 0 ? until : MAX_IDLE;
                }
            }
        } catch (RuntimeException e) {
            if (stopping) {
                return;
            }
            log.error("delivery pass: {}", e.toString(), e);
        }
        ScheduledFuture<?> previous = timer;
        if (previous != null) {
            previous.cancel(false);
        }
        if (stopping) {
            return;
        }
        try {
            timer = worker.schedule(this::wake, wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            // closed while planning: nothing more to plan
        }
    }

    private CompletableFuture<Void> deliver(QueuedMessage message, Instant now) {
        Map<String, List<Integer>> byDomain = dueByDomain(message, now);
        InFlight flight = new InFlight(message, new AtomicBoolean(), new CompletableFuture<>());
        inFlight.put(message.id(), flight);
        if (byDomain.isEmpty()) {
            settle(flight, () -> giveBack(message.id()));
            return flight.done();
        }
        BodySource body = () -> queue.openBody(message.id());
        Map<Integer, Outcome> results = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> domains = new ArrayList<>();
        byDomain.forEach((domain, indexes) -> domains.add(limiter.acquire(domain)
                .thenComposeAsync(turn -> new DomainDelivery(message, domain, indexes,
                        context, body,
                        listenerFor(message, domain), worker).run()
                        .thenApply(found -> RequireTlsRule.count(message.envelope(), found, events)), worker)
                .handle((found, error) -> {
                    limiter.release(domain);
                    if (error != null) {
                        log.error("delivery of {} to {} failed unexpectedly", message.id(), domain, error);
                        Outcome local = Verdicts.localError("delivering to <" + domain + ">: " + Problems.describe(error));
                        indexes.forEach(i -> results.put(i, local));
                    } else {
                        results.putAll(found);
                    }
                    return null;
                })));
        CompletableFuture.allOf(domains.toArray(CompletableFuture[]::new))
                .thenRunAsync(() -> settle(flight, () -> recorder.record(flight.message(), Map.copyOf(results),
                        dueLater -> finished(flight, dueLater))), worker);
        return flight.done();
    }

    /** Runs {@code action} unless a stop already gave the message back. */
    private void settle(InFlight flight, Runnable action) {
        if (flight.settled().compareAndSet(false, true)) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.error("delivery: settling {} failed: {}", flight.message().id(), e.toString());
                finished(flight, true);
            }
        }
    }

    private void finished(InFlight flight, boolean dueLater) {
        inFlight.remove(flight.message().id());
        flight.done().complete(null);
        if (dueLater || (capped && inFlight.size() <= wakeThreshold())) {
            capped = false;
            wake();
        }
    }

    private void giveBack(QueueId id) {
        try {
            queue.giveBack(id);
        } catch (RuntimeException e) {
            log.warn("delivery: giving back {} failed: {}", id, e.toString());
        }
        InFlight flight = inFlight.remove(id);
        if (flight != null) {
            flight.done().complete(null);
        }
    }

    /** Recipients to try now, by domain in envelope order: Pending, or Deferred and due. */
    static Map<String, List<Integer>> dueByDomain(QueuedMessage message, Instant now) {
        Map<String, List<Integer>> byDomain = new LinkedHashMap<>();
        List<RecipientAddress> recipients = message.envelope().recipients();
        for (int i = 0; i < recipients.size(); i++) {
            boolean due = switch (message.statuses().get(i)) {
                case RecipientStatus.Pending p -> true;
                case RecipientStatus.Deferred d -> !d.nextAttempt().isAfter(now);
                case RecipientStatus.Delivered d -> false;
                case RecipientStatus.Failed f -> false;
            };
            if (due) {
                byDomain.computeIfAbsent(recipients.get(i).domain(), d -> new ArrayList<>()).add(i);
            }
        }
        return byDomain;
    }

    /** Settings; every one but the collaborators has a default. */
    public static final class Builder {
        private final MessageQueue queue;
        private final DnsResolver dns;
        private final ConnectionPool pool;
        private Clock clock = Clock.systemUTC();
        private BounceHandler bounces = BounceHandler.NONE;
        private Optional<Duration> delayWarningAfter = Optional.empty();
        private DelayNotifier delayNotifier = DelayNotifier.NONE;
        private DeliveryEvents events = DeliveryEvents.NONE;
        private DomainPolicies policies = DomainPolicies.NONE;
        private SessionSink tlsSessions = SessionSink.NONE;

        private int port = 25;
        private boolean honourTlsRequiredNo = true;
        private Duration policyUnknownWait = Duration.ofHours(1);
        private int maxConnectionsPerDomain = 20;
        private int batchSize = 100;
        private int maxInFlight = 1000;

        private Builder(MessageQueue queue, DnsResolver dns, ConnectionPool pool) {
            this.queue = Objects.requireNonNull(queue, "queue");
            this.dns = Objects.requireNonNull(dns, "dns");
            this.pool = Objects.requireNonNull(pool, "pool");
        }

        /** The time the passes ask the queue with; the queue's own clock should be the same. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder bounces(BounceHandler bounces) {
            this.bounces = Objects.requireNonNull(bounces, "bounces");
            return this;
        }

        /**
         * {@code queue.delay-warning-after}: a message still deferred after this long since it
         * arrived is handed to {@code notifier}, once in its life. Default: no warnings.
         */
        public Builder delayWarnings(Duration after, DelayNotifier notifier) {
            this.delayWarningAfter = Optional.of(notNegative(after, "delay warning threshold"));
            this.delayNotifier = Objects.requireNonNull(notifier, "notifier");
            return this;
        }

        /** Metrics hooks; default none. */
        public Builder events(DeliveryEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /**
         * {@code mta-sts.policy-unknown-wait}: when whether a domain has a policy cannot be found
         * out, its mail waits this long (since arrival) and then goes as without one; default 1h.
         */
        public Builder policyUnknownWait(Duration wait) {
            this.policyUnknownWait = notNegative(wait, "policy-unknown wait");
            return this;
        }

        /**
         * {@code delivery.honour-tls-required-no}: whether a message's {@code TLS-Required: No}
         * (RFC 8689 section 4.2.2) makes it go as without the domain's TLS policy; default true.
         */
        public Builder honourTlsRequiredNo(boolean honour) {
            this.honourTlsRequiredNo = honour;
            return this;
        }

        public Builder policies(DomainPolicies policies) {
            this.policies = Objects.requireNonNull(policies, "policies");
            return this;
        }

        /** Where TLS sessions are counted for TLS reports ({@code tls-rpt.enabled}); default nowhere. */
        public Builder tlsSessions(SessionSink sink) {
            this.tlsSessions = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** The remote SMTP port ({@code delivery.port}); default 25. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** {@code delivery.max-connections-per-domain}; default 20. */
        public Builder maxConnectionsPerDomain(int max) {
            this.maxConnectionsPerDomain = atLeastOne(max, "max connections per domain");
            return this;
        }

        /** Messages taken from the queue per call; default 100. */
        public Builder batchSize(int size) {
            this.batchSize = atLeastOne(size, "batch size");
            return this;
        }

        /** Messages in delivery at once; default 1000. */
        public Builder maxInFlight(int max) {
            this.maxInFlight = atLeastOne(max, "max in flight");
            return this;
        }

        public DeliveryScheduler build() {
            return new DeliveryScheduler(this);
        }

        private static int atLeastOne(int value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be at least 1: " + value);
            }
            return value;
        }

        private static Duration notNegative(Duration value, String what) {
            if (value.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + value);
            }
            return value;
        }
    }
}
