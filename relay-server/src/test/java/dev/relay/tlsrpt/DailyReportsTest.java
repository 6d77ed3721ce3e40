package dev.relay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.queue.MutableClock;
import dev.relay.text.TxtDiscovery;
import dev.relay.tls.testkit.TestCertificates;
import dev.relay.tlsrpt.testkit.TestCollector;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The daily sender against collectors on loopback that fail: each failure is tried again after a
 * pause, and a day after the report was due it is given up, its counts dropped, its end counted.
 */
class DailyReportsTest {

    private static final TestCertificates.Authority CA = TestCertificates.newAuthority("Reports Test CA");
    private static final TestCertificates.Authority STRANGER = TestCertificates.newAuthority("Unknown CA");
    private static final LocalDate DAY = LocalDate.parse("2026-12-06");
    private static final TlsRptSettings SETTINGS = new TlsRptSettings(true, "Test Org", "tlsrpt@relay.test",
            "tlsrpt@relay.test", "relay.test", 4);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final SessionCounters counters = new SessionCounters(clock, CounterLimits.DEFAULT);
    private final ExecutorService http = Executors.newFixedThreadPool(2);
    private final List<String> finished = new CopyOnWriteArrayList<>();
    private final TlsRptEvents events = new TlsRptEvents() {
        @Override
        public void reportFinished(String transport, boolean sent) {
            finished.add(transport + " " + sent);
        }
    };
    private DailyReports daily;

    @AfterEach
    void stop() {
        if (daily != null) {
            daily.close();
        }
        http.shutdownNow();
    }

    @Test
    void aCollectorWithACertificateNobodyTrustsIsRetriedThenGivenUpADayLater() {
        try (TestCollector collector = TestCollector.start(STRANGER)) {
            start(collector.uri("/r"), Duration.ofSeconds(5));
            clock.set(Instant.parse("2026-12-07T04:00:00Z"));

            SentReport retrying = await().atMost(Duration.ofSeconds(30)).until(() -> latest("retrying"), r -> r != null);
            assertThat(retrying.detail()).startsWith("TLS failed");
            assertThat(collector.requests()).as("no report over an unchecked connection").isEmpty();
            assertThat(counters.domain(DAY, "example.com")).as("kept while retrying").isPresent();

            clock.set(Instant.parse("2026-12-08T05:00:00Z")); // more than a day after the latest it was due
            SentReport failed = await().atMost(Duration.ofSeconds(30)).until(() -> latest("failed"), r -> r != null);
            assertThat(failed.detail()).startsWith("TLS failed");
            assertThat(failed.reportId()).isEqualTo("20261206.example.com@relay.test");
            assertThat(finished).containsExactly("https false");
            assertThat(counters.domain(DAY, "example.com")).as("given up: dropped").isEmpty();
        }
    }

    @Test
    void aCollectorThatNeverAnswersTimesOutAndIsTriedAgain() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            start("https://127.0.0.1:" + silent.getLocalPort() + "/r", Duration.ofMillis(500));
            clock.set(Instant.parse("2026-12-07T04:00:00Z"));

            SentReport retrying = await().atMost(Duration.ofSeconds(30)).until(() -> latest("retrying"), r -> r != null);
            assertThat(retrying.detail()).startsWith("timed out").contains("500ms");
            clock.advance(Duration.ofMinutes(2));
            await("a second try").atMost(Duration.ofSeconds(30)).until(() -> held.size() >= 2);
            assertThat(finished).isEmpty();
            acceptor.interrupt();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aCollectorThatRedirectsIsNotFollowed() {
        try (TestCollector collector = TestCollector.start(CA)) {
            collector.answer("/r", 301);
            start(collector.uri("/r"), Duration.ofSeconds(5));
            clock.set(Instant.parse("2026-12-07T04:00:00Z"));
            SentReport retrying = await().atMost(Duration.ofSeconds(30)).until(() -> latest("retrying"), r -> r != null);
            assertThat(retrying.detail()).startsWith("HTTP 301").contains("not followed");
            assertThat(collector.requests()).hasSize(1);
        }
    }

    @Test
    void reportsLeaveAtRandomMomentsAfterMidnightAndAllBySendByHour() {
        try (TestCollector collector = TestCollector.start(CA)) {
            for (int i = 1; i <= 4; i++) {
                counters.record(TlsSession.success("d" + i + ".example", SessionPolicy.none()));
            }
            start(collector.uri("/r"), Duration.ofSeconds(5));
            clock.set(Instant.parse("2026-12-06T23:59:59Z"));
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> collector.requests().isEmpty());
            clock.set(Instant.parse("2026-12-07T00:00:01Z"));
            await("none due at the first second after midnight").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .until(() -> collector.requests().isEmpty());
            clock.set(Instant.parse("2026-12-07T04:00:00Z"));
            await("all five by send-by-hour").atMost(Duration.ofSeconds(30)).until(() -> collector.requests().size() == 5);
            await("all five told finished").atMost(Duration.ofSeconds(30)).until(() -> finished.size() >= 5);
            assertThat(finished).containsOnly("https true").hasSize(5);
            assertThat(counters.completedDays()).as("sent: the counts are dropped").isEmpty();
        }
    }

    private void start(String uri, Duration responseTimeout) {
        counters.record(TlsSession.success("example.com", SessionPolicy.none()));
        TlsRptRecord record = ((TxtDiscovery.Found<TlsRptRecord>) TlsRptRecordParser.parse(List.of("v=TLSRPTv1; rua=" + uri))).record();
        TlsRptLookup lookup = domain -> CompletableFuture.completedFuture(
                new TlsRptLookup.Found.Answer(new TxtDiscovery.Found<>(record)));
        ReportMailer noMail = (from, to, message) -> CompletableFuture.failedFuture(new IllegalStateException("no mail here"));
        daily = new DailyReports(counters, SETTINGS, lookup,
                new HttpsCollector(CA.clientContext(), http, Duration.ofSeconds(5), responseTimeout), noMail, clock,
                new Random(7), events, new ReportHistory(clock));
        daily.start(Duration.ofMillis(20));
    }

    private SentReport latest(String result) {
        return daily.history().all().stream().filter(r -> r.result().equals(result)).reduce((a, b) -> b).orElse(null);
    }
}
