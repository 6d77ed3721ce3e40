package dev.relay.metrics;

import dev.relay.tlsrpt.PolicyType;
import dev.relay.tlsrpt.TlsRptEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** {@code relay_tlsrpt_sessions_total{policy,result}} and {@code relay_tlsrpt_reports_total{transport,result}}. */
final class TlsRptMeters implements TlsRptEvents {
    private final Map<PolicyType, Counter> successes = new EnumMap<>(PolicyType.class);
    private final Map<PolicyType, Counter> failures = new EnumMap<>(PolicyType.class);
    private final Counter httpsSent;
    private final Counter httpsFailed;
    private final Counter mailSent;
    private final Counter mailFailed;

    TlsRptMeters(MeterRegistry registry) {
        for (PolicyType type : PolicyType.values()) {
            successes.put(type, Meters.counter(registry, MetricNames.TLSRPT_SESSIONS, MetricNames.POLICY, type.label(),
                    MetricNames.RESULT, "success"));
            failures.put(type, Meters.counter(registry, MetricNames.TLSRPT_SESSIONS, MetricNames.POLICY, type.label(),
                    MetricNames.RESULT, "failure"));
        }
        httpsSent = report(registry, "https", "sent");
        httpsFailed = report(registry, "https", "failed");
        mailSent = report(registry, "mailto", "sent");
        mailFailed = report(registry, "mailto", "failed");
    }

    private static Counter report(MeterRegistry registry, String transport, String result) {
        return Meters.counter(registry, MetricNames.TLSRPT_REPORTS, MetricNames.TRANSPORT, transport, MetricNames.RESULT,
                result);
    }

    @Override
    public void sessionCounted(PolicyType policy, boolean success) {
        (success ? successes : failures).get(policy).increment();
    }

    @Override
    public void reportFinished(String transport, boolean sent) {
        if (transport.equals("https")) {
            (sent ? httpsSent : httpsFailed).increment();
        } else {
            (sent ? mailSent : mailFailed).increment();
        }
    }
}
