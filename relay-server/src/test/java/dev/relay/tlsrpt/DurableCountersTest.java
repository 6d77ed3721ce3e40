package dev.relay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.outcome.Cause;
import dev.relay.queue.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counters survive a restart; a broken file is set aside and never stops the start. */
class DurableCountersTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 6);
    private static final Duration HOURLY = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));

    private DurableCounters open(Duration saveEvery) throws IOException {
        return DurableCounters.open(dir, clock, CounterLimits.DEFAULT, saveEvery);
    }

    @Test
    void aRestartInTheMiddleOfTheDayKeepsTheCounts() throws IOException {
        try (DurableCounters counters = open(HOURLY)) {
            counters.record(Sessions.ok("example.com"));
            counters.record(Sessions.fail("example.com", Cause.CERTIFICATE_EXPIRED, "mx1.example.com", "203.0.113.5"));
            counters.record(Sessions.fail("example.com", Cause.CERTIFICATE_EXPIRED, "mx1.example.com", "203.0.113.5"));
            counters.record(TlsSession.success("plain.example", SessionPolicy.none()));
            counters.record(TlsSession.success("example.com", Sessions.TLSA_MX1));
        }
        clock.advance(Duration.ofHours(3));
        try (DurableCounters counters = open(HOURLY)) {
            counters.record(Sessions.ok("example.com"));
            DomainCounts example = counters.counters().domain(DAY, "example.com").orElseThrow();
            assertThat(example.successes()).isEqualTo(3);
            assertThat(example.failures()).isEqualTo(2);
            assertThat(example.policies()).extracting(DomainCounts.PolicyCounts::policy)
                    .containsExactly(Sessions.STS, Sessions.TLSA_MX1);
            assertThat(example.policies()).first().satisfies(policy -> {
                assertThat(policy.policy()).isEqualTo(Sessions.STS);
                assertThat(policy.failureRows()).singleElement().satisfies(row -> {
                    assertThat(row.count()).isEqualTo(2);
                    assertThat(row.failure()).isEqualTo(TlsSession.Failure.of(Cause.CERTIFICATE_EXPIRED)
                            .withReceivingMx("mx1.example.com", java.util.Optional.of("203.0.113.5")).withSendingMtaIp("192.0.2.25"));
                });
            });
            assertThat(counters.counters().domain(DAY, "plain.example").orElseThrow().policies().getFirst().policy())
                    .isEqualTo(SessionPolicy.none());
        }
    }

    @Test
    void yesterdaysCountsWaitForTheirReportAcrossARestart() throws IOException {
        try (DurableCounters counters = open(HOURLY)) {
            counters.record(Sessions.ok("example.com"));
        }
        clock.advance(Duration.ofDays(1));
        try (DurableCounters counters = open(HOURLY)) {
            assertThat(counters.counters().completedDays()).singleElement()
                    .satisfies(day -> assertThat(day.day()).isEqualTo(DAY));
        }
    }

    @Test
    void countsReachTheDiskWithinTheSaveIntervalWithoutAStop() throws IOException {
        DurableCounters counters = open(Duration.ofMillis(100));
        try {
            counters.record(Sessions.ok("example.com"));
            counters.record(Sessions.ok("example.com"));
            Path file = dir.resolve(CounterStore.FILE_NAME);
            // what a SIGKILL now would leave: the file as the periodic save wrote it
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<DayCounts> onDisk = CounterStore.open(dir, clock).load();
                assertThat(onDisk).singleElement().satisfies(day -> assertThat(day.domains()).singleElement()
                        .satisfies(d -> assertThat(d.successes()).isEqualTo(2)));
            });
            assertThat(file).exists();
        } finally {
            counters.close();
        }
    }

    @Test
    void nothingIsWrittenWhenNothingChanged() throws IOException {
        try (DurableCounters counters = open(HOURLY)) {
            counters.save();
            assertThat(dir.resolve(CounterStore.FILE_NAME)).doesNotExist();
            counters.record(Sessions.ok("example.com"));
            counters.save();
            assertThat(dir.resolve(CounterStore.FILE_NAME)).exists();
        }
    }

    @Test
    void aCorruptFileIsSetAsideAndCountingStartsAgain() throws IOException {
        Files.writeString(dir.resolve(CounterStore.FILE_NAME), "{\"format\":1,\"days\":[{\"day\":\"2026-12-0", StandardCharsets.UTF_8);
        try (DurableCounters counters = open(HOURLY)) {
            assertThat(counters.counters().days()).isEmpty();
            counters.record(Sessions.ok("example.com"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(CounterStore.FILE_NAME, CounterStore.FILE_NAME + ".corrupt-20261206T100000Z");
        }
        assertThat(Files.readString(dir.resolve(CounterStore.FILE_NAME + ".corrupt-20261206T100000Z")))
                .startsWith("{\"format\":1,\"days\"");
        try (DurableCounters counters = open(HOURLY)) {
            assertThat(counters.counters().domain(DAY, "example.com").orElseThrow().successes()).isEqualTo(1);
        }
    }

    @Test
    void wellFormedJsonWithWrongContentIsCorruptToo() throws IOException {
        for (String content : List.of(
                "[]",
                "{\"format\":2,\"days\":[]}",
                "{\"format\":1,\"days\":[{\"day\":\"yesterday\",\"domains\":[]}]}",
                "{\"format\":1,\"days\":[{\"day\":\"2026-12-06\",\"dropped-sessions\":0,\"domains\":[{\"domain\":\"example.com\","
                        + "\"dropped-failure-rows\":0,\"policies\":[{\"type\":\"dane\",\"successes\":1,\"failures\":0}]}]}]}",
                "{\"format\":1,\"days\":[{\"day\":\"2026-12-06\",\"dropped-sessions\":0,\"domains\":[{\"domain\":\"example.com\","
                        + "\"dropped-failure-rows\":0,\"policies\":[{\"type\":\"sts\",\"successes\":-3,\"failures\":0}]}]}]}",
                "{\"format\":1,\"days\":[{\"day\":\"2026-12-06\",\"dropped-sessions\":0,\"domains\":[{\"domain\":\"example.com\","
                        + "\"dropped-failure-rows\":0,\"policies\":[{\"type\":\"sts\",\"successes\":0,\"failures\":1,"
                        + "\"failure-rows\":[{\"cause\":\"connect-failed\",\"count\":1}]}]}]}]}")) {
            Path file = dir.resolve(CounterStore.FILE_NAME);
            Files.writeString(file, content);
            assertThat(CounterStore.open(dir, clock).load()).as(content).isEmpty();
            assertThat(file).as(content).doesNotExist();
            clock.advance(Duration.ofSeconds(1)); // a new name for the next one set aside
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().contains(".corrupt-"))).hasSize(6);
        }
    }

    @Test
    void noTempFileIsLeftBehind() throws IOException {
        try (DurableCounters counters = open(HOURLY)) {
            counters.record(Sessions.ok("example.com"));
            counters.save();
            counters.record(Sessions.ok("example.com"));
            counters.save();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(CounterStore.FILE_NAME);
        }
    }
}
