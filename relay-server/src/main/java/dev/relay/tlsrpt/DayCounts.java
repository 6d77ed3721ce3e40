package dev.relay.tlsrpt;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Everything counted on one UTC day.
 *
 * @param droppedSessions sessions not counted because a cap of {@link CounterLimits} was reached
 */
public record DayCounts(LocalDate day, List<DomainCounts> domains, long droppedSessions) {
    public DayCounts {
        Objects.requireNonNull(day, "day");
        domains = List.copyOf(domains);
    }
}
