package dev.relay.tlspolicy;

import dev.relay.mtasts.PolicyMode;
import dev.relay.mtasts.PolicyOverride;
import dev.relay.text.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local TLS policy overrides in force: the configuration's (replaced whole on reload) and
 * the run-time suspensions, which win over the configuration for their domain while they last.
 * A suspension always has an end, at most {@link #MAX_SUSPENSION} away, and is kept in
 * {@value SuspensionFile#NAME} in the spool directory so a restart does not lift it. Every
 * change is logged with who made it and why; an expired suspension is logged once and dropped.
 * Thread-safe.
 */
public final class TlsPolicyOverrides {
    private static final Logger log = LoggerFactory.getLogger(TlsPolicyOverrides.class);

    /** The longest a suspension may last: long enough for a domain owner to fix a policy, short enough not to be forgotten. */
    public static final Duration MAX_SUSPENSION = Duration.ofDays(30);

    private final SuspensionFile file;
    private final Clock clock;
    private volatile List<PolicyOverride> configured;
    /** By domain; guarded by {@code this}. */
    private final Map<String, PolicyOverride> suspensions = new TreeMap<>();

    private TlsPolicyOverrides(SuspensionFile file, List<PolicyOverride> configured, Clock clock) {
        this.file = file;
        this.configured = List.copyOf(configured);
        this.clock = clock;
    }

    /**
     * Reads the suspensions kept in {@code spoolDirectory}, dropping those that ended while the
     * relay was down.
     *
     * @throws UncheckedIOException when the file is there but unreadable: the operator must look
     *     (a lifted suspension they did not lift would be a surprise)
     */
    public static TlsPolicyOverrides open(Path spoolDirectory, List<PolicyOverride> configured, Clock clock) {
        TlsPolicyOverrides overrides = new TlsPolicyOverrides(new SuspensionFile(spoolDirectory), configured, clock);
        List<PolicyOverride> stored;
        try {
            stored = overrides.file.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        Instant now = clock.instant();
        synchronized (overrides) {
            for (PolicyOverride suspension : stored) {
                if (suspension.activeAt(now)) {
                    overrides.suspensions.put(suspension.domain(), suspension);
                    log.warn("tls-policy: MTA-STS enforcement for {} stays suspended until {} ({} left), set by {}: {}",
                            suspension.domain(), suspension.until().orElseThrow(), remaining(suspension, now),
                            ((PolicyOverride.Suspension) suspension.source()).by(), suspension.reason());
                } else {
                    log.info("tls-policy: the suspension for {} ended at {} while the relay was down",
                            suspension.domain(), suspension.until().orElseThrow());
                }
            }
            if (overrides.suspensions.size() != stored.size()) {
                overrides.save();
            }
        }
        overrides.configured.forEach(o -> log.info("tls-policy: {}: {}{}", o.domain(), o.describe(),
                o.until().map(u -> o.activeAt(now) ? " until " + u : " (ended " + u + ", not applied)").orElse("")));
        return overrides;
    }

    /** A reload: these are the configuration's overrides from now on; suspensions stay. */
    public void configure(List<PolicyOverride> overrides) {
        this.configured = List.copyOf(overrides);
    }

    /** The override in force for {@code domain} at {@code now}: a suspension first, then the configuration's. */
    public Optional<PolicyOverride> find(String domain, Instant now) {
        Optional<PolicyOverride> suspended = suspension(domain, now);
        if (suspended.isPresent()) {
            return suspended;
        }
        for (PolicyOverride o : configured) {
            if (o.domain().equals(domain) && o.activeAt(now)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    private synchronized Optional<PolicyOverride> suspension(String domain, Instant now) {
        PolicyOverride found = suspensions.get(domain);
        if (found == null) {
            return Optional.empty();
        }
        if (!found.activeAt(now)) {
            expire(List.of(found));
            return Optional.empty();
        }
        return Optional.of(found);
    }

    /**
     * Suspends MTA-STS enforcement for {@code domain} for {@code length} (the published policy is
     * applied as testing: failures are still seen, logged, counted and reported, but mail goes).
     * Replaces an earlier suspension of the same domain.
     *
     * @param by who asked, for the log and the list
     * @throws IllegalArgumentException when the length is not above zero or is over {@link #MAX_SUSPENSION},
     *     or the reason is blank
     * @throws UncheckedIOException when the suspension cannot be written down; nothing changed then
     */
    public synchronized PolicyOverride suspend(String domain, Duration length, String reason, String by) {
        if (length.isNegative() || length.isZero() || length.compareTo(MAX_SUSPENSION) > 0) {
            throw new IllegalArgumentException("a suspension lasts more than 0s and at most "
                    + Durations.format(MAX_SUSPENSION) + ", not " + Durations.format(length));
        }
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a suspension needs a reason");
        }
        Instant now = clock.instant();
        PolicyOverride suspension = new PolicyOverride(domain, PolicyMode.TESTING, List.of(),
                Optional.of(now.plus(length)), reason.strip(), new PolicyOverride.Suspension(by, now));
        Optional<PolicyOverride> before = Optional.ofNullable(suspensions.put(domain, suspension));
        try {
            save();
        } catch (UncheckedIOException e) {
            before.ifPresentOrElse(old -> suspensions.put(domain, old), () -> suspensions.remove(domain));
            throw e;
        }
        log.warn("tls-policy: MTA-STS enforcement for {} suspended for {} (until {}) by {}: {}", domain,
                Durations.format(length), suspension.until().orElseThrow(), by, suspension.reason());
        return suspension;
    }

    /**
     * Lifts the suspension of {@code domain}.
     *
     * @return the suspension lifted; empty when there was none
     */
    public synchronized Optional<PolicyOverride> resume(String domain, String by) {
        PolicyOverride lifted = suspensions.remove(domain);
        if (lifted == null) {
            return Optional.empty();
        }
        try {
            save();
        } catch (UncheckedIOException e) {
            suspensions.put(domain, lifted);
            throw e;
        }
        log.warn("tls-policy: MTA-STS enforcement for {} resumed by {} ({} before the suspension would have ended)",
                domain, by, remaining(lifted, clock.instant()));
        return Optional.of(lifted);
    }

    /** Every override in force now: suspensions by domain, then the configuration's in file order. */
    public List<PolicyOverride> active() {
        Instant now = clock.instant();
        List<PolicyOverride> out = new ArrayList<>();
        synchronized (this) {
            List<PolicyOverride> ended = suspensions.values().stream().filter(s -> !s.activeAt(now)).toList();
            if (!ended.isEmpty()) {
                expire(ended);
            }
            out.addAll(suspensions.values());
        }
        configured.stream().filter(o -> o.activeAt(now)).forEach(out::add);
        return out;
    }

    /**
     * Overrides in force by kind ({@code require}, {@code suspend}), for
     * {@code relay_tls_policy_overrides_active}; both kinds are always present.
     */
    public Map<String, Long> countsByKind() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("require", 0L);
        counts.put("suspend", 0L);
        active().forEach(o -> counts.merge(o.kind(), 1L, Long::sum));
        return counts;
    }

    /** How long is left of an override that ends, in words ({@code 23h59m}). */
    public static String remaining(PolicyOverride override, Instant now) {
        return override.until().map(until -> Durations.format(Duration.between(now, until).isNegative()
                ? Duration.ZERO : Duration.between(now, until).truncatedTo(java.time.temporal.ChronoUnit.MINUTES)))
                .orElse("no end");
    }

    /** Drops ended suspensions, saying so once; caller holds the lock. */
    private void expire(List<PolicyOverride> ended) {
        ended.forEach(s -> {
            suspensions.remove(s.domain());
            log.warn("tls-policy: the suspension for {} ended at {}; MTA-STS is enforced again as published",
                    s.domain(), s.until().orElseThrow());
        });
        try {
            save();
        } catch (UncheckedIOException e) {
            log.error("tls-policy: cannot update {}: {}", file.path(), e.getMessage());
        }
    }

    private void save() {
        try {
            file.write(List.copyOf(suspensions.values()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.path() + ": " + e.getMessage(), e);
        }
    }

    /** The file the suspensions are kept in. */
    public Path file() {
        return file.path();
    }
}
