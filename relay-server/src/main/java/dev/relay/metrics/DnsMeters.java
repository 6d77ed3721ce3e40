package dev.relay.metrics;

import dev.relay.dns.DnsEvents;
import dev.relay.dns.DnssecStatus;
import dev.relay.dns.LookupType;
import dev.relay.dns.ResultKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code relay_dns_lookups_total{type,result}} and {@code relay_dnssec_answers_total{status}}:
 * every series registered at start, counted from arrays.
 */
final class DnsMeters implements DnsEvents {
    private final Counter[][] lookups = new Counter[LookupType.values().length][ResultKind.values().length];
    private final Counter[] dnssec = new Counter[DnssecStatus.values().length];

    DnsMeters(MeterRegistry registry) {
        for (LookupType type : LookupType.values()) {
            for (ResultKind result : ResultKind.values()) {
                lookups[type.ordinal()][result.ordinal()] = Meters.counter(registry, MetricNames.DNS_LOOKUPS,
                        MetricNames.TYPE, type.label(), MetricNames.RESULT, result.label());
            }
        }
        for (DnssecStatus status : DnssecStatus.values()) {
            dnssec[status.ordinal()] = Meters.counter(registry, MetricNames.DNSSEC_ANSWERS, MetricNames.STATUS, status.label());
        }
    }

    @Override
    public void lookup(LookupType type, ResultKind result) {
        lookups[type.ordinal()][result.ordinal()].increment();
    }

    @Override
    public void dnssecAnswer(DnssecStatus status) {
        dnssec[status.ordinal()].increment();
    }
}
