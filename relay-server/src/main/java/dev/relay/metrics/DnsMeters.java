package dev.relay.metrics;

import dev.relay.dns.DnsEvents;
import dev.relay.dns.LookupType;
import dev.relay.dns.ResultKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code relay_dns_lookups_total{type,result}}: every pair registered at start, counted from an array. */
final class DnsMeters implements DnsEvents {
    private final Counter[][] lookups = new Counter[LookupType.values().length][ResultKind.values().length];

    DnsMeters(MeterRegistry registry) {
        for (LookupType type : LookupType.values()) {
            for (ResultKind result : ResultKind.values()) {
                lookups[type.ordinal()][result.ordinal()] = Meters.counter(registry, MetricNames.DNS_LOOKUPS,
                        MetricNames.TYPE, type.label(), MetricNames.RESULT, result.label());
            }
        }
    }

    @Override
    public void lookup(LookupType type, ResultKind result) {
        lookups[type.ordinal()][result.ordinal()].increment();
    }
}
