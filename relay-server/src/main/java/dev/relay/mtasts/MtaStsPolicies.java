package dev.relay.mtasts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.relay.concurrent.SharedCalls;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.DnsResult;
import dev.relay.text.Counts;
import dev.relay.text.TxtDiscovery;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MTA-STS policy in force for a recipient domain: discovery (TXT at
 * {@code _mta-sts.<domain>}), fetch ({@link PolicyFetcher}), parse ({@link PolicyParser}), and a
 * cache in memory (Caffeine) and on disk ({@link PolicyStore}) that RFC 8461 makes the heart of
 * the protocol.
 *
 * <h2>Why the cache decides so much</h2>
 * An attacker on the path can drop the TXT answer, break the HTTPS fetch, or make DNS fail.
 * None of that may lower protection for a domain whose policy we already hold, so a cached
 * policy stays in force until {@code fetchedAt + max_age} whatever happens to the TXT record
 * or the fetch (sections 3.3, 5.1). The cache is only ever replaced by a newly fetched valid
 * policy: after a new TXT {@code id}, a background refresh, or an operator's {@link #refresh}.
 *
 * <h2>One lookup</h2>
 * <ul>
 *   <li>TXT lookup failed temporarily: the cached policy, else {@link DomainPolicy.Unavailable}
 *       (a DNS outage is never "no policy").</li>
 *   <li>No STSv1 record, or an invalid one: the cached policy, else
 *       {@link DomainPolicy.NoPolicy}.</li>
 *   <li>A record whose id equals the cached policy's: the cached policy, no fetch.</li>
 *   <li>A new id, or nothing cached: fetch (concurrent lookups share one fetch per domain and
 *       id). A valid policy replaces the cached one, also when its mode is {@code none}. A failed
 *       fetch or an invalid body is remembered for five minutes per (domain, id), during which
 *       that id is not fetched again; meanwhile, and after any failure, the cached policy
 *       applies, else {@link DomainPolicy.NoPolicy} (section 3.3: no policy yet means no
 *       policy).</li>
 *   <li>A policy in mode {@code none} is reported as {@link DomainPolicy.NoPolicy}.</li>
 * </ul>
 *
 * <h2>Refresh (sections 3.3, 10.2)</h2>
 * A periodic task ({@link #start()}) refetches the policies of domains looked up in the last
 * {@code recentUse} (default 7 days) when the policy is within a quarter of its max_age (at most
 * one day) of expiring, or was fetched over a day ago: a domain may change its MX hosts without
 * changing the id. A refresh looks the TXT record up again and fetches under the id it finds.
 * Failures are logged at WARN and reported to {@link MtaStsEvents#refreshFailed}, except for a
 * cached {@code none} policy. Expired policy files are deleted by the same task.
 *
 * <p>Time comes from the injected {@link Clock} (the caches' ticker reads it too), so tests move
 * time instead of sleeping. Stages complete on DNS, event loop or executor threads; none
 * completes exceptionally. Thread-safe.
 */
public final class MtaStsPolicies implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MtaStsPolicies.class);

    private static final Duration DAY = Duration.ofDays(1);
    /** How often delivery may have one domain's policy fetched again because no MX host matched it. */
    public static final Duration RECHECK_INTERVAL = Duration.ofMinutes(5);

    /** Why a lookup runs: a delivery asked, or the cache is being renewed. */
    private enum Purpose {
        DELIVERY,
        REFRESH
    }

    private record FetchKey(String domain, String id) {}

    /** A fetch, parsed: a policy to cache, or why there is none. */
    private sealed interface FetchOutcome {
        record Got(CachedPolicy policy) implements FetchOutcome {}

        record NotGot(String detail) implements FetchOutcome {}
    }

    private final DnsResolver dns;
    private final PolicyFetcher fetcher;
    private final PolicyStore store;
    private final Clock clock;
    private final MtaStsEvents events;
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private final Duration failureBackoff;
    private final Duration refreshInterval;
    private final Duration recentUse;

    private final Cache<String, CachedPolicy> policies;
    private final Cache<FetchKey, PolicyStatus.LastFetch> failures;
    private final Cache<String, PolicyStatus.LastFetch> lastFetches;
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();
    /** The latest stale finding per domain (see {@link StalePolicy}), for the status page. */
    private final Map<String, StalePolicy> stale = new ConcurrentHashMap<>();
    /** When delivery last had a domain's policy fetched again because no MX host matched it. */
    private final Map<String, Instant> rechecked = new ConcurrentHashMap<>();
    private final SharedCalls<FetchKey, FetchOutcome> fetches = new SharedCalls<>();
    /**
     * What each TXT record set announces, by its text: every message looks the record up (from
     * the DNS cache) and would otherwise parse the same text again. Parsing is a pure function
     * of the text, so an entry never goes stale; the bound only caps the memory.
     */
    private final Cache<List<String>, TxtDiscovery<StsRecord>> discoveries = Caffeine.newBuilder().executor(Runnable::run).maximumSize(10_000).build();
    private volatile Optional<ScheduledFuture<?>> refreshTask = Optional.empty();

    private MtaStsPolicies(Builder b) {
        this.dns = b.dns;
        this.fetcher = b.fetcher;
        this.store = b.store;
        this.clock = b.clock;
        this.events = b.events;
        this.ownsExecutor = b.executor.isEmpty();
        this.executor = b.executor.orElseGet(() -> Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("mta-sts-refresh").daemon().factory()));
        this.failureBackoff = b.failureBackoff;
        this.refreshInterval = b.refreshInterval;
        this.recentUse = b.recentUse;
        Ticker ticker = () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
        this.policies = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).expireAfter(untilMaxAge(clock)).build();
        this.failures = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).expireAfterWrite(failureBackoff).build();
        this.lastFetches = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).maximumSize(10_000).build();
        Instant now = clock.instant();
        for (CachedPolicy p : store.load(now)) {
            policies.put(p.domain(), p);
            lastUsed.put(p.domain(), p.fetchedAt()); // it was fetched because mail went there
        }
        log.info("mta-sts: {} loaded from {}", Counts.of(policies.estimatedSize(), "cached policy", "cached policies"),
                store.directory());
    }

    /**
     * @param dns asks the TXT records (and, through the fetcher, the policy hosts' addresses)
     * @param fetcher fetches policy bodies
     * @param store keeps policies across restarts; loaded when the service is built
     */
    public static Builder builder(DnsResolver dns, PolicyFetcher fetcher, PolicyStore store) {
        return new Builder(dns, fetcher, store);
    }

    /**
     * The policy in force for a recipient domain (case and a trailing dot do not matter; an
     * address literal has no policy). Never completes exceptionally.
     */
    public CompletionStage<DomainPolicy> policyFor(String domain) {
        Objects.requireNonNull(domain, "domain");
        String d = PolicyDomains.normalize(domain);
        if (d.isEmpty() || DnsResolver.addressLiteral(d).isPresent()) {
            return CompletableFuture.completedFuture(new DomainPolicy.NoPolicy(
                    "'" + domain + "' is not a domain name: no MTA-STS policy applies"));
        }
        return lookup(d, Purpose.DELIVERY);
    }

    /**
     * For operators: forgets the DNS answers about the domain and any remembered fetch failure,
     * then looks the TXT record up and fetches the policy now, whatever its id. A failure keeps
     * the cached policy (and counts as a failed refresh). The result is what a lookup would
     * give afterwards.
     */
    public CompletionStage<DomainPolicy> refresh(String domain) {
        String d = PolicyDomains.normalize(Objects.requireNonNull(domain, "domain"));
        if (d.isEmpty() || DnsResolver.addressLiteral(d).isPresent()) {
            return policyFor(domain);
        }
        dns.invalidate(PolicyDomains.txtName(d));
        dns.invalidate(PolicyDomains.policyHost(d));
        failures.asMap().keySet().removeIf(key -> key.domain().equals(d));
        return lookup(d, Purpose.REFRESH);
    }

    /**
     * Delivery found that none of the domain's MX hosts matches its cached policy: the domain may
     * have moved its mail and its policy without a new TXT id, and senders would enforce the old
     * policy until max_age runs out. A refresh is a fetch, which RFC 8461 allows at any time, so
     * the policy is fetched again now (at most once per {@link #RECHECK_INTERVAL} per domain).
     * When the live policy matches one of the hosts it is adopted, and that is logged at WARN
     * and counted as a stale policy; when the fetch fails, the cached policy stays in force.
     *
     * @param mxHosts the MX host names DNS gave now
     * @return the policy in force afterwards
     */
    public CompletionStage<DomainPolicy> recheck(String domain, List<String> mxHosts) {
        String d = PolicyDomains.normalize(Objects.requireNonNull(domain, "domain"));
        Optional<CachedPolicy> before = cached(d);
        Instant now = clock.instant();
        if (before.isEmpty() || mxHosts.stream().anyMatch(before.get().policy()::matchesMx)) {
            return policyFor(domain);
        }
        Instant last = rechecked.get(d);
        if (last != null && now.isBefore(last.plus(RECHECK_INTERVAL))) {
            return policyFor(domain);
        }
        rechecked.put(d, now);
        CachedPolicy old = before.get();
        return refresh(d).thenApply(found -> {
            if (found instanceof DomainPolicy.Active live && !live.fromCache()
                    && mxHosts.stream().anyMatch(live.policy()::matchesMx)) {
                String what = "none of the MX hosts (" + String.join(", ", mxHosts) + ") matched the cached policy (id "
                        + old.id() + ", " + describe(old.policy()) + "); the live policy (id " + live.id() + ", "
                        + describe(live.policy()) + ") matches and was adopted";
                log.warn("mta-sts policy of {}: {}", d, what);
                stale.put(d, new StalePolicy(d, clock.instant(), live.id(), what));
                if (!live.id().equals(old.id())) {
                    // a change under the same id was counted where it was installed
                    report(() -> events.stalePolicy(d, live.id()));
                }
            }
            return found;
        });
    }

    /** The latest stale finding of each domain, newest first. */
    public List<StalePolicy> stalePolicies() {
        return stale.values().stream().sorted(java.util.Comparator.comparing(StalePolicy::at).reversed()).toList();
    }

    /** Every domain with a cached policy or a fetch this process made, sorted by name. */
    public List<PolicyStatus> snapshot() {
        TreeSet<String> domains = new TreeSet<>(policies.asMap().keySet());
        domains.addAll(lastFetches.asMap().keySet());
        List<PolicyStatus> out = new ArrayList<>(domains.size());
        for (String d : domains) {
            Optional<CachedPolicy> c = cached(d);
            out.add(new PolicyStatus(d, c.map(p -> p.policy().mode()), c.map(CachedPolicy::id),
                    c.map(CachedPolicy::fetchedAt), c.map(CachedPolicy::expiresAt),
                    Optional.ofNullable(lastFetches.getIfPresent(d))));
        }
        return List.copyOf(out);
    }

    /** Starts the periodic refresh (every {@code refreshInterval}, default 15 minutes); a second call does nothing. */
    public synchronized void start() {
        if (refreshTask.isPresent()) {
            return;
        }
        long every = refreshInterval.toMillis();
        refreshTask = Optional.of(executor.scheduleWithFixedDelay(() -> {
            try {
                refreshDue();
            } catch (RuntimeException e) {
                log.error("mta-sts: refresh task failed", e);
            }
        }, every, every, TimeUnit.MILLISECONDS));
    }

    /** Stops the periodic refresh; lookups keep working from the cache and the network. */
    @Override
    public synchronized void close() {
        refreshTask.ifPresent(task -> task.cancel(false));
        if (ownsExecutor) {
            executor.shutdown();
        }
    }

    /**
     * One round of the periodic task: refreshes the policies that are due, deletes expired
     * policy files. The stage completes when every refresh has ended.
     */
    CompletableFuture<Void> refreshDue() {
        Instant now = clock.instant();
        lastUsed.values().removeIf(used -> used.isBefore(now.minus(recentUse)));
        List<CompletableFuture<?>> running = new ArrayList<>();
        for (CachedPolicy c : List.copyOf(policies.asMap().values())) {
            boolean due = lastUsed.containsKey(c.domain()) && !c.isExpired(now) && isDue(c, now)
                    && failures.getIfPresent(new FetchKey(c.domain(), c.id())) == null;
            if (due) {
                log.debug("mta-sts: refreshing the policy of {} (id {}, expires {})", c.domain(), c.id(), c.expiresAt());
                running.add(lookup(c.domain(), Purpose.REFRESH));
            }
        }
        running.add(CompletableFuture.runAsync(() -> store.prune(now), executor));
        return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new));
    }

    /** Within a quarter of max_age (at most a day) of expiry, or over a day old. */
    private static boolean isDue(CachedPolicy c, Instant now) {
        Duration margin = c.policy().maxAge().dividedBy(4);
        if (margin.compareTo(DAY) > 0) {
            margin = DAY;
        }
        return !now.isBefore(c.expiresAt().minus(margin)) || !now.isBefore(c.fetchedAt().plus(DAY));
    }

    private CompletableFuture<DomainPolicy> lookup(String d, Purpose purpose) {
        return dns.lookupTxt(PolicyDomains.txtName(d)).toCompletableFuture()
                .thenCompose(txt -> decide(d, txt, purpose))
                .exceptionally(error -> {
                    // a bug, not a network event: stay on the safe side of "no policy"
                    log.error("mta-sts: lookup for {} failed unexpectedly", d, error);
                    return cached(d).map(c -> use(c, true, purpose)).orElseGet(() -> new DomainPolicy.Unavailable(
                            "MTA-STS lookup for " + d + " failed: " + error));
                });
    }

    private CompletableFuture<DomainPolicy> decide(String d, DnsResult<String> txt, Purpose purpose) {
        Optional<CachedPolicy> cached = cached(d);
        String name = PolicyDomains.txtName(d);
        return switch (txt) {
            case DnsResult.TemporaryFailure<String> failure -> {
                String reason = "the MTA-STS TXT lookup at " + name + " failed: " + failure.reason();
                yield done(cached.map(c -> keep(c, purpose, reason)).orElseGet(() -> new DomainPolicy.Unavailable(reason)));
            }
            case DnsResult.NoSuchDomain<String> n -> done(orNoPolicy(cached, purpose, "no MTA-STS TXT record at " + name));
            case DnsResult.NoData<String> n -> done(orNoPolicy(cached, purpose, "no MTA-STS TXT record at " + name));
            case DnsResult.Found<String> records -> switch (discoveries.get(records.values(), StsRecordParser::parse)) {
                case TxtDiscovery.NoRecord<StsRecord> n -> done(orNoPolicy(cached, purpose, "no v=STSv1 TXT record at " + name));
                case TxtDiscovery.Invalid<StsRecord> invalid -> done(orNoPolicy(cached, purpose,
                        "the MTA-STS TXT record at " + name + " is invalid: " + invalid.reason()));
                case TxtDiscovery.Found<StsRecord> found -> found(d, found.record().id(), cached, purpose);
            };
        };
    }

    private CompletableFuture<DomainPolicy> found(String d, String id, Optional<CachedPolicy> cached, Purpose purpose) {
        if (purpose == Purpose.DELIVERY) {
            if (cached.isPresent() && cached.get().id().equals(id)) {
                return done(use(cached.get(), true, purpose));
            }
            PolicyStatus.LastFetch failed = failures.getIfPresent(new FetchKey(d, id));
            if (failed != null) {
                return done(orNoPolicy(cached, purpose, "the MTA-STS policy of " + d + " (id " + id
                        + ") could not be fetched at " + failed.at() + " (" + failed.detail() + "); not tried again before "
                        + failed.at().plus(failureBackoff)));
            }
        }
        return fetchShared(d, id).thenApply(outcome -> switch (outcome) {
            case FetchOutcome.Got got -> use(got.policy(), false, purpose);
            case FetchOutcome.NotGot notGot -> orNoPolicy(cached(d), purpose,
                    "the MTA-STS policy of " + d + " (id " + id + ") could not be fetched: " + notGot.detail());
        });
    }

    /** Concurrent lookups of one domain and id share one fetch. */
    private CompletableFuture<FetchOutcome> fetchShared(String d, String id) {
        return fetches.call(new FetchKey(d, id), this::fetchNow);
    }

    private CompletableFuture<FetchOutcome> fetchNow(FetchKey key) {
        return fetcher.fetch(key.domain()).toCompletableFuture().thenCompose(result -> {
            Instant at = clock.instant();
            return switch (result) {
                case FetchResult.Fetched fetched -> switch (PolicyParser.parse(fetched.body())) {
                    case PolicyParse.Valid valid -> install(
                            new CachedPolicy(key.domain(), key.id(), at, fetched.body(), valid.policy()), valid.warnings());
                    case PolicyParse.Invalid invalid ->
                            done(notGot(key, FetchFailure.INVALID_POLICY, "invalid policy: " + invalid.reason(), at));
                };
                case FetchResult.Failed failed -> done(notGot(key, failed.kind(), failed.detail(), at));
            };
        });
    }

    /** A valid policy replaces whatever was cached for the domain, in memory and then on disk. */
    private CompletableFuture<FetchOutcome> install(CachedPolicy p, List<String> warnings) {
        Policy policy = p.policy();
        String summary = "mode " + policy.mode().label() + ", max_age " + policy.maxAge().toSeconds();
        log.info("mta-sts policy fetch: domain={} id={} result=ok mode={} max_age={}{}", p.domain(), p.id(),
                policy.mode().label(), policy.maxAge().toSeconds(), warnings.isEmpty() ? "" : " warnings=" + warnings);
        failures.invalidate(new FetchKey(p.domain(), p.id()));
        CachedPolicy previous = policies.getIfPresent(p.domain());
        if (previous != null && previous.id().equals(p.id()) && !previous.policy().equals(policy)) {
            log.warn("mta-sts policy of {} changed under the same id {} (was {}; now {}): senders that do not refetch"
                    + " keep the old policy until it expires; the relay uses the new one", p.domain(), p.id(),
                    describe(previous.policy()), describe(policy));
            stale.put(p.domain(), new StalePolicy(p.domain(), p.fetchedAt(), p.id(), "changed under the same id (was "
                    + describe(previous.policy()) + "; now " + describe(policy) + "); the new policy was adopted"));
            report(() -> events.stalePolicy(p.domain(), p.id()));
        }
        lastFetches.put(p.domain(), new PolicyStatus.LastFetch("ok", summary, p.fetchedAt()));
        report(() -> events.policyFetched("ok"));
        if (p.isExpired(clock.instant())) {
            // max_age 0: good for this lookup only, and it still retires the policy it replaces
            policies.invalidate(p.domain());
            return done(new FetchOutcome.Got(p));
        }
        policies.put(p.domain(), p);
        return CompletableFuture.runAsync(() -> persist(p), executor)
                .handle((v, error) -> new FetchOutcome.Got(p));
    }

    private static String describe(Policy policy) {
        return "mode " + policy.mode().label() + ", max_age " + policy.maxAge().toSeconds() + ", mx "
                + (policy.mx().isEmpty() ? "(none)" : policy.mxText());
    }

    private void persist(CachedPolicy p) {
        try {
            store.save(p);
        } catch (IOException | RuntimeException e) {
            log.error("mta-sts cache: the policy of {} could not be saved in {}: {}; it applies until restart",
                    p.domain(), store.directory(), e.toString());
        }
    }

    private FetchOutcome notGot(FetchKey key, FetchFailure kind, String detail, Instant at) {
        log.info("mta-sts policy fetch: domain={} id={} result={} detail={}", key.domain(), key.id(), kind.label(), detail);
        PolicyStatus.LastFetch record = new PolicyStatus.LastFetch(kind.label(), detail, at);
        failures.put(key, record);
        lastFetches.put(key.domain(), record);
        report(() -> events.policyFetched(kind.label()));
        return new FetchOutcome.NotGot(detail);
    }

    /** The cached policy when there is one (a refresh that found nothing new failed), else no policy. */
    private DomainPolicy orNoPolicy(Optional<CachedPolicy> cached, Purpose purpose, String why) {
        return cached.map(c -> keep(c, purpose, why)).orElseGet(() -> new DomainPolicy.NoPolicy(why));
    }

    /** Nothing new was found: the cached policy stays; for a refresh, that is a failure worth an alert. */
    private DomainPolicy keep(CachedPolicy c, Purpose purpose, String why) {
        if (purpose == Purpose.REFRESH && c.policy().mode() != PolicyMode.NONE) {
            log.warn("mta-sts: refresh of the {} policy of {} (id {}, expires {}) failed: {}", c.policy().mode().label(),
                    c.domain(), c.id(), c.expiresAt(), why);
            report(() -> events.refreshFailed(c.domain(), why));
        }
        return use(c, true, purpose);
    }

    private DomainPolicy use(CachedPolicy c, boolean fromCache, Purpose purpose) {
        PolicyMode mode = c.policy().mode();
        if (purpose == Purpose.DELIVERY) {
            lastUsed.put(c.domain(), clock.instant()); // only domains with a policy need refreshing
            report(() -> events.policyUsed(c.domain(), mode, fromCache));
        }
        if (mode == PolicyMode.NONE) {
            return new DomainPolicy.NoPolicy("the MTA-STS policy of " + c.domain() + " (id " + c.id() + ") is mode none");
        }
        return new DomainPolicy.Active(c.domain(), c.policy(), c.id(), c.fetchedAt(), c.expiresAt(), fromCache);
    }

    private Optional<CachedPolicy> cached(String d) {
        CachedPolicy c = policies.getIfPresent(d);
        if (c != null && c.isExpired(clock.instant())) {
            policies.asMap().remove(d, c);
            return Optional.empty();
        }
        return Optional.ofNullable(c);
    }

    private static void report(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("mta-sts events listener failed: {}", e.toString());
        }
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** Each policy lives until its own {@code fetchedAt + max_age}, read from the same clock. */
    private static Expiry<String, CachedPolicy> untilMaxAge(Clock clock) {
        return Expiry.writing((domain, p) -> {
            Duration left = Duration.between(clock.instant(), p.expiresAt());
            return left.isNegative() ? Duration.ZERO : left;
        });
    }

    /** Settings; the collaborators are required, the rest have production defaults. */
    public static final class Builder {
        private final DnsResolver dns;
        private final PolicyFetcher fetcher;
        private final PolicyStore store;
        private Clock clock = Clock.systemUTC();
        private MtaStsEvents events = MtaStsEvents.NONE;
        private Optional<ScheduledExecutorService> executor = Optional.empty();
        private Duration failureBackoff = Duration.ofMinutes(5);
        private Duration refreshInterval = Duration.ofMinutes(15);
        private Duration recentUse = Duration.ofDays(7);

        private Builder(DnsResolver dns, PolicyFetcher fetcher, PolicyStore store) {
            this.dns = Objects.requireNonNull(dns, "dns");
            this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
            this.store = Objects.requireNonNull(store, "store");
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder events(MtaStsEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /**
         * Runs the periodic refresh and the disk writes; default a single daemon thread owned
         * (and shut down) by the service. One given here is not shut down by {@link #close()}.
         */
        public Builder executor(ScheduledExecutorService executor) {
            this.executor = Optional.of(executor);
            return this;
        }

        /** How long a failed fetch of one (domain, id) is not retried; default 5 minutes (RFC 8461 section 3.3). */
        public Builder failureBackoff(Duration backoff) {
            this.failureBackoff = Checks.requirePositive(backoff);
            return this;
        }

        /** How often the refresh task looks for policies due; default 15 minutes. */
        public Builder refreshInterval(Duration interval) {
            this.refreshInterval = Checks.requirePositive(interval);
            return this;
        }

        /** Domains looked up within this window have their policies refreshed; default 7 days. */
        public Builder recentUse(Duration window) {
            this.recentUse = Checks.requirePositive(window);
            return this;
        }

        /** Loads the store and builds the service; {@link #start()} it for background refresh. */
        public MtaStsPolicies build() {
            return new MtaStsPolicies(this);
        }
    }
}
