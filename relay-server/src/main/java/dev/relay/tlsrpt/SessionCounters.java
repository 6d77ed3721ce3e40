package dev.relay.tlsrpt;

import dev.relay.tlsrpt.DomainCounts.FailureCount;
import dev.relay.tlsrpt.DomainCounts.PolicyCounts;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of each UTC day, per policy domain and per policy, in memory (RFC 8460 section
 * 4.4 grouping: a summary per policy, failures grouped by result type, sending and receiving
 * addresses, MX host and HELO name, reason code and information URI). The day is the UTC date
 * of the {@link Clock} when a session is recorded.
 *
 * <p>One lock guards everything: recording is a few map operations, far below the cost of the
 * SMTP session it counts, and the lock makes snapshots consistent. Sizes are bounded by
 * {@link CounterLimits}.
 */
public final class SessionCounters {
    private static final Logger log = LoggerFactory.getLogger(SessionCounters.class);

    private final Clock clock;
    private final CounterLimits limits;
    private final TreeMap<LocalDate, Day> days = new TreeMap<>();
    private long changes;

    public SessionCounters(Clock clock, CounterLimits limits) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Counts one session on today's UTC date. */
    public synchronized void record(TlsSession session) {
        Day day = dayFor(today());
        changes++;
        Optional<Domain> counted = entry(day.domains, session.policyDomain(), limits.maxDomainsPerDay(), Domain::new);
        if (counted.isEmpty()) {
            day.dropped(session, "more than " + limits.maxDomainsPerDay() + " domains today");
            return;
        }
        Domain domain = counted.get();
        Optional<Tally> policy = entry(domain.policies, session.policy(), limits.maxPoliciesPerDomain(), Tally::new);
        if (policy.isEmpty()) {
            day.dropped(session, "more than " + limits.maxPoliciesPerDomain() + " policies for the domain today");
            return;
        }
        Tally tally = policy.get();
        switch (session.result()) {
            case TlsSession.Success s -> tally.successes++;
            case TlsSession.Failure failure -> {
                tally.failures++;
                Long count = tally.rows.get(failure);
                if (count != null) {
                    tally.rows.put(failure, count + 1);
                } else if (domain.rows < limits.maxFailureRowsPerDomain()) {
                    tally.rows.put(failure, 1L);
                    domain.rows++;
                } else {
                    domain.droppedRows++;
                }
            }
        }
    }

    /** The entry of {@code key}, made when the map has room for one more (the limits); empty when it has none. */
    private static <K, V> Optional<V> entry(Map<K, V> map, K key, int limit, Supplier<V> make) {
        V value = map.get(key);
        if (value == null && map.size() < limit) {
            value = make.get();
            map.put(key, value);
        }
        return Optional.ofNullable(value);
    }

    /** Today's UTC date by the clock. */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** The days that have counts, oldest first. */
    public synchronized List<LocalDate> days() {
        return List.copyOf(days.keySet());
    }

    /** The days before today: their reports are due. */
    public synchronized List<DayCounts> completedDays() {
        return days.headMap(today()).keySet().stream().map(this::snapshotOf).toList();
    }

    public synchronized Optional<DayCounts> day(LocalDate date) {
        return days.containsKey(date) ? Optional.of(snapshotOf(date)) : Optional.empty();
    }

    public synchronized Optional<DomainCounts> domain(LocalDate date, String domain) {
        Day day = days.get(date);
        if (day == null) {
            return Optional.empty();
        }
        String name = TlsSession.normalize(domain);
        Domain counts = day.domains.get(name);
        return counts == null ? Optional.empty() : Optional.of(counts.snapshot(date, name));
    }

    /** Forgets one domain's day, once its report is sent (or given up); a day left empty goes too. */
    public synchronized void remove(LocalDate date, String domain) {
        Day day = days.get(date);
        if (day != null && day.domains.remove(TlsSession.normalize(domain)) != null) {
            changes++;
            if (day.domains.isEmpty()) {
                days.remove(date);
            }
        }
    }

    /** Everything, for the counter file. */
    public synchronized List<DayCounts> snapshot() {
        return days.keySet().stream().map(this::snapshotOf).toList();
    }

    /** Grows with every change: the periodic writer saves only when it moved. */
    public synchronized long changes() {
        return changes;
    }

    /** Replaces the counts with those read back from the counter file. */
    public synchronized void restore(List<DayCounts> saved) {
        days.clear();
        for (DayCounts dayCounts : saved) {
            Day day = new Day();
            day.droppedSessions = dayCounts.droppedSessions();
            for (DomainCounts domainCounts : dayCounts.domains()) {
                Domain domain = new Domain();
                domain.droppedRows = domainCounts.droppedFailureRows();
                for (PolicyCounts policyCounts : domainCounts.policies()) {
                    Tally tally = new Tally();
                    tally.successes = policyCounts.successes();
                    tally.failures = policyCounts.failures();
                    for (FailureCount row : policyCounts.failureRows()) {
                        tally.rows.merge(row.failure(), row.count(), Long::sum);
                    }
                    domain.rows += tally.rows.size();
                    domain.policies.put(policyCounts.policy(), tally);
                }
                day.domains.put(domainCounts.domain(), domain);
            }
            days.put(dayCounts.day(), day);
        }
        trimDays();
        changes++;
    }

    private Day dayFor(LocalDate date) {
        Day day = days.get(date);
        if (day == null) {
            day = new Day();
            days.put(date, day);
            trimDays();
        }
        return day;
    }

    private void trimDays() {
        while (days.size() > limits.maxDays()) {
            Map.Entry<LocalDate, Day> oldest = days.pollFirstEntry();
            log.warn("tls-rpt: counts of {} ({} domains) dropped unreported: only {} days are kept",
                    oldest.getKey(), oldest.getValue().domains.size(), limits.maxDays());
        }
    }

    private DayCounts snapshotOf(LocalDate date) {
        Day day = days.get(date);
        List<DomainCounts> domains = new ArrayList<>();
        day.domains.forEach((name, domain) -> domains.add(domain.snapshot(date, name)));
        return new DayCounts(date, domains, day.droppedSessions);
    }

    private static final class Day {
        final Map<String, Domain> domains = new LinkedHashMap<>();
        long droppedSessions;

        void dropped(TlsSession session, String why) {
            if (droppedSessions++ == 0) {
                // once a day is enough: the count is in the counter file and the report
                log.warn("tls-rpt: sessions to {} and others not counted today: {}", session.policyDomain(), why);
            }
        }
    }

    private static final class Domain {
        final Map<SessionPolicy, Tally> policies = new LinkedHashMap<>();
        int rows;
        long droppedRows;

        DomainCounts snapshot(LocalDate date, String name) {
            List<PolicyCounts> counts = new ArrayList<>();
            policies.forEach((policy, tally) -> counts.add(new PolicyCounts(policy, tally.successes, tally.failures,
                    tally.rows.entrySet().stream().map(e -> new FailureCount(e.getKey(), e.getValue())).toList())));
            return new DomainCounts(date, name, counts, droppedRows);
        }
    }

    private static final class Tally {
        final Map<TlsSession.Failure, Long> rows = new LinkedHashMap<>();
        long successes;
        long failures;
    }
}
