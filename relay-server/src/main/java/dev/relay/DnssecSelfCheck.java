package dev.relay;

import dev.relay.admin.StatusReport;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.DnssecCheck;
import dev.relay.dns.DnssecMode;
import dev.relay.metrics.RelayMetrics;
import dev.relay.text.Durations;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's first-hour check of {@code delivery.dns}: with DNSSEC on, resolvers that strip
 * DNSSEC records make every validated MX lookup bogus, so all mail waits with nothing but
 * deferrals to show why. Asked once at start, off the start's path; when the servers do not
 * answer it asks again every {@code retry} until they do. The verdict goes to the log (one
 * WARN naming the key and the fix), to {@code relay_dnssec_validation_working} and to the
 * status page.
 */
final class DnssecSelfCheck {
    private static final Logger log = LoggerFactory.getLogger(DnssecSelfCheck.class);

    static final Duration RETRY = Duration.ofMinutes(1);

    private final DnsResolver dns;
    private final boolean configuredServers;
    private final RelayMetrics metrics;
    private final Duration retry;
    private final AtomicReference<StatusReport.Dnssec> state;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DnssecSelfCheck(DnsResolver dns, boolean configuredServers, RelayMetrics metrics, Duration retry) {
        this.dns = dns;
        this.configuredServers = configuredServers;
        this.metrics = metrics;
        this.retry = retry;
        this.state = new AtomicReference<>(dns.dnssec() == DnssecMode.OFF
                ? new StatusReport.Dnssec(dns.dnssec().label(), StatusReport.Dnssec.OFF,
                        "DANE never applies (TLSA records are not looked up)")
                : new StatusReport.Dnssec(dns.dnssec().label(), StatusReport.Dnssec.UNKNOWN, "not checked yet"));
    }

    /**
     * Starts the check (nothing is asked with DNSSEC off) and returns at once.
     *
     * @param configuredServers whether {@code delivery.dns.servers} names the servers (else the system's are asked)
     */
    static DnssecSelfCheck start(DnsResolver dns, boolean configuredServers, RelayMetrics metrics, Duration retry) {
        DnssecSelfCheck check = new DnssecSelfCheck(dns, configuredServers, metrics, retry);
        check.ask(true);
        return check;
    }

    /** What the check found so far, for the status page. */
    StatusReport.Dnssec state() {
        return state.get();
    }

    /** No more asking again. */
    void close() {
        closed.set(true);
    }

    private void ask(boolean first) {
        if (closed.get()) {
            return;
        }
        dns.checkDnssec().thenAccept(found -> found.ifPresent(check -> judge(check, first)))
                .exceptionally(error -> {
                    log.warn("the DNSSEC check failed: {}", error.getMessage());
                    return null;
                });
    }

    private void judge(DnssecCheck check, boolean first) {
        String mode = dns.dnssec().label();
        switch (check) {
            case DnssecCheck.Working working -> {
                log.info("DNSSEC {} works through {}: the DNSKEY records of {} came back secure", mode, servers(),
                        working.zone());
                state.set(new StatusReport.Dnssec(mode, StatusReport.Dnssec.WORKING,
                        "the DNSKEY records of " + working.zone() + " came back secure"));
                metrics.dnssecValidation(true);
            }
            case DnssecCheck.NotWorking broken -> {
                String advice = dns.dnssec() == DnssecMode.TRUST_AD
                        ? "delivery.dns.dnssec is trust-ad but " + servers() + " do not validate (" + broken.reason()
                                + "): no answer is ever secure, so DANE never applies; point delivery.dns.servers at a"
                                + " validating resolver, or set delivery.dns.dnssec: validate with resolvers that pass"
                                + " DNSSEC records on"
                        : servers() + " do not pass DNSSEC records on (" + broken.reason() + "): every lookup will"
                                + " fail validation and mail will wait; use resolvers that do, or set"
                                + " delivery.dns.dnssec: trust-ad for a validating resolver on loopback, or off";
                log.warn("DNSSEC does not work: {}", advice);
                state.set(new StatusReport.Dnssec(mode, StatusReport.Dnssec.BROKEN, advice));
                metrics.dnssecValidation(false);
            }
            case DnssecCheck.NoAnswer silent -> {
                String text = "cannot check DNSSEC yet: " + servers() + " gave no answer for the DNSKEY records of "
                        + silent.zone() + " (" + silent.reason() + "); asking again in " + Durations.format(retry);
                if (first) {
                    log.warn("{}", text);
                } else {
                    log.debug("{}", text);
                }
                state.set(new StatusReport.Dnssec(mode, StatusReport.Dnssec.UNKNOWN, text));
                CompletableFuture.delayedExecutor(retry.toMillis(), TimeUnit.MILLISECONDS).execute(() -> ask(false));
            }
        }
    }

    private String servers() {
        String list = dns.servers().stream().map(DnsResolver::describe).collect(Collectors.joining(", "));
        return configuredServers
                ? "delivery.dns.servers at " + list
                : "the system's DNS servers (delivery.dns.servers is empty) at " + list;
    }
}
