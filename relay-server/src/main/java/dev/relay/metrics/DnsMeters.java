package dev.relay.metrics;

import dev.relay.dns.DnsEvents;
import dev.relay.dns.DnssecStatus;
import dev.relay.dns.LookupType;
import dev.relay.dns.ResultKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code relay_dns_lookups_total{type,result}} and {@code relay_dnssec_answers_total{status}}:
 * every series registered at start, counted from enum maps.
 */
final class DnsMeters implements DnsEvents {
    private final Map<LookupType, Map<ResultKind, Counter>> lookups = new EnumMap<>(LookupType.class);
    private final Map<DnssecStatus, Counter> dnssec = new EnumMap<>(DnssecStatus.class);

    DnsMeters(MeterRegistry registry) {
        for (LookupType type : LookupType.values()) {
            Map<ResultKind, Counter> byResult = new EnumMap<>(ResultKind.class);
            for (ResultKind result : ResultKind.values()) {
                byResult.put(result, Meters.counter(registry, MetricNames.DNS_LOOKUPS,
                        MetricNames.TYPE, type.label(), MetricNames.RESULT, result.label()));
            }
            lookups.put(type, byResult);
        }
        for (DnssecStatus status : DnssecStatus.values()) {
            dnssec.put(status, Meters.counter(registry, MetricNames.DNSSEC_ANSWERS, MetricNames.STATUS, status.label()));
        }
    }

    @Override
    public void lookup(LookupType type, ResultKind result) {
        lookups.get(type).get(result).increment();
    }

    @Override
    public void dnssecAnswer(DnssecStatus status) {
        dnssec.get(status).increment();
    }
}
