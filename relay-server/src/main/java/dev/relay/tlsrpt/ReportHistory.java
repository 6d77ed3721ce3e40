package dev.relay.tlsrpt;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest result of each report at each destination over the last days, oldest first, for
 * {@code tls-rpt show} and the status page. Kept in {@code sent.json} beside the counter file
 * (rewritten on each change: a few times a day), so a restart still shows the last days; an
 * unreadable file is set aside and the history starts empty (it is a record, not the reports).
 */
public final class ReportHistory {
    private static final Logger log = LoggerFactory.getLogger(ReportHistory.class);

    static final Duration KEPT = Duration.ofDays(7);
    static final int MAX_ENTRIES = 5_000;
    static final String FILE_NAME = "sent.json";

    /** A report without an id (none could be built: no record) is still one per day and domain. */
    private record Key(LocalDate day, String domain, String reportId, String destination) {}

    private static final JsonMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private final Clock clock;
    private final Optional<Path> file;
    private final LinkedHashMap<Key, SentReport> entries = new LinkedHashMap<>();

    /** A history in memory only. */
    public ReportHistory(Clock clock) {
        this(clock, Optional.empty());
    }

    private ReportHistory(Clock clock, Optional<Path> file) {
        this.clock = clock;
        this.file = file;
    }

    /** The history kept in {@code directory}, with what was saved there. */
    public static ReportHistory open(Path directory, Clock clock) {
        Path file = directory.resolve(FILE_NAME);
        ReportHistory history = new ReportHistory(clock, Optional.of(file));
        try {
            List<SentReport> saved = JSON.readValue(Files.readAllBytes(file), new TypeReference<List<SentReport>>() {});
            synchronized (history) {
                saved.forEach(history::put);
            }
        } catch (NoSuchFileException e) {
            // nothing sent yet
        } catch (IOException | RuntimeException e) {
            log.warn("tls-rpt: the report history {} is unreadable ({}); it starts empty", file, e.getMessage());
        }
        return history;
    }

    /** Records a result, replacing the earlier one of the same report and destination. */
    public synchronized void add(SentReport report) {
        put(report);
        file.ifPresent(this::save);
    }

    private void put(SentReport report) {
        Key key = new Key(report.day(), report.domain(), report.reportId(), report.destination());
        entries.remove(key);
        entries.put(key, report);
        var oldest = clock.instant().minus(KEPT);
        entries.values().removeIf(entry -> entry.at().isBefore(oldest));
        while (entries.size() > MAX_ENTRIES) {
            entries.pollFirstEntry();
        }
    }

    private void save(Path target) {
        Path temp = target.resolveSibling("." + FILE_NAME + ".tmp");
        try {
            Files.write(temp, JSON.writeValueAsBytes(List.copyOf(entries.values())));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("tls-rpt: cannot write the report history {}: {}", target, e.getMessage());
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
