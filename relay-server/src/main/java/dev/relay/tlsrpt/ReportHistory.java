package dev.relay.tlsrpt;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest result of each report at each destination over the last days, newest last, for
 * {@code tls-rpt show} and the status page. In memory: a restart starts it empty (the reports
 * themselves are not lost, their counts stay in the counter file until sent).
 */
public final class ReportHistory {

    static final Duration KEPT = Duration.ofDays(7);
    static final int MAX_ENTRIES = 5_000;

    /** A report without an id (none could be built: no record) is still one per day and domain. */
    private record Key(LocalDate day, String domain, String reportId, String destination) {}

    private final Clock clock;
    private final LinkedHashMap<Key, SentReport> entries = new LinkedHashMap<>();

    public ReportHistory(Clock clock) {
        this.clock = clock;
    }

    /** Records a result, replacing the earlier one of the same report and destination. */
    public synchronized void add(SentReport report) {
        Key key = new Key(report.day(), report.domain(), report.reportId(), report.destination());
        entries.remove(key);
        entries.put(key, report);
        var oldest = clock.instant().minus(KEPT);
        entries.values().removeIf(entry -> entry.at().isBefore(oldest));
        while (entries.size() > MAX_ENTRIES) {
            entries.pollFirstEntry();
        }
    }

    /** Everything kept, oldest first. */
    public synchronized List<SentReport> all() {
        var oldest = clock.instant().minus(KEPT);
        List<SentReport> list = new ArrayList<>();
        for (Map.Entry<Key, SentReport> entry : entries.entrySet()) {
            if (!entry.getValue().at().isBefore(oldest)) {
                list.add(entry.getValue());
            }
        }
        return list;
    }
}
