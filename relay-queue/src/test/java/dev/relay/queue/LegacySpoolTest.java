package dev.relay.queue;

import dev.relay.queue.spool.SpoolQueue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.outcome.Cause;
import dev.relay.outcome.EnhancedStatus;
import dev.relay.outcome.Outcome;
import dev.relay.outcome.Reply;
import dev.relay.outcome.TestOutcomes;
import dev.relay.queue.spool.SpoolTuning;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spool written by the code before outcomes were typed (test resource {@code spool-format-1},
 * see its README) opens with today's code: nothing is lost, and what the old text said is read
 * back as facts.
 */
class LegacySpoolTest {

    private static final Instant WRITTEN = Instant.parse("2026-11-30T11:00:00Z");
    private static final RetrySchedule SCHEDULE = new RetrySchedule(List.of(Duration.ofMinutes(1)), Duration.ofMinutes(30));

    @TempDir
    Path directory;

    @Test
    void everyMessageAndStatusOfAFormatOneSpoolLoads() throws Exception {
        Path spool = copyLegacySpool();
        Outcome.Delivered delivered = TestOutcomes.delivered("250 2.0.0 fine", java.util.Optional.of("mx.example.com"));
        MutableClock clock = new MutableClock(WRITTEN);
        try (SpoolQueue queue = SpoolQueue.open(spool, new QueueSettings(SCHEDULE, 0, 0),
                new SpoolTuning(64 << 10, 4 << 10, 0.25), clock, QueueEvents.NONE)) {
            List<QueuedMessage> all = queue.list();
            assertThat(all).hasSize(3);
            QueuedMessage pending = message(all, "pending@example.org");
            QueuedMessage mixed = message(all, "ok@example.net");
            QueuedMessage expiring = message(all, "slow@example.org");

            assertThat(pending.statuses()).containsExactly(new RecipientStatus.Pending());
            // written before RFC 8689 was stored: no envelope says REQUIRETLS or TLS-Required: No
            assertThat(all).allSatisfy(m -> {
                assertThat(m.envelope().requireTls()).isFalse();
                assertThat(m.envelope().tlsRequiredNo()).isFalse();
            });
            assertThat(body(queue, pending)).contains("hello pending@example.org");

            List<RecipientStatus> statuses = mixed.statuses();
            assertThat(statuses.get(0)).isInstanceOfSatisfying(RecipientStatus.Delivered.class, d -> {
                assertThat(d.outcome().reply()).isEqualTo(Reply.of(250, EnhancedStatus.SUCCESS, "Ok: queued as 4AB"));
                assertThat(d.outcome().remoteMta()).contains("mx1.example.net");
            });
            assertThat(statuses.get(1)).isInstanceOfSatisfying(RecipientStatus.Failed.class, f -> {
                assertThat(f.outcome().status()).isEqualTo(new EnhancedStatus(5, 1, 1));
                assertThat(f.outcome().expired()).isFalse();
                assertThat(f.outcome().remoteMta()).contains("mx1.example.net");
            });
            assertThat(statuses.get(2)).isInstanceOfSatisfying(RecipientStatus.Deferred.class, d -> {
                assertThat(d.outcome().reply().status()).isEqualTo(EnhancedStatus.NO_ANSWER);
                assertThat(d.outcome().remoteMta()).isEmpty();
                assertThat(d.outcome().cause()).isEqualTo(Cause.UNCLASSIFIED);
                assertThat(d.nextAttempt()).isEqualTo(Instant.parse("2026-11-30T10:01:00Z"));
            });
            assertThat(statuses.get(3)).isInstanceOfSatisfying(RecipientStatus.Deferred.class,
                    d -> assertThat(d.outcome().reply().text()).contains("certificate-expired"));

            assertThat(expiring.attempts()).isEqualTo(2);
            assertThat(expiring.statuses().get(0)).isInstanceOfSatisfying(RecipientStatus.Failed.class, f -> {
                assertThat(f.outcome().expired()).isTrue();
                assertThat(f.outcome().status()).isEqualTo(EnhancedStatus.DELIVERY_TIME_EXPIRED);
                assertThat(f.outcome().reply()).isEqualTo(Reply.of(421, EnhancedStatus.BAD_CONNECTION,
                        "mx.example.org closing connection"));
                assertThat(f.outcome().remoteMta()).contains("mx.example.org");
            });

            // and it goes on: a new result is written in today's format next to the old records
            queue.takeDue(clock.instant(), 10);
            queue.recordResults(mixed.id(), Map.of(3, delivered)).get(10, TimeUnit.SECONDS);
        }
        try (SpoolQueue reopened = SpoolQueue.open(spool, new QueueSettings(SCHEDULE, 0, 0),
                new SpoolTuning(64 << 10, 4 << 10, 0.25), new MutableClock(WRITTEN), QueueEvents.NONE)) {
            QueuedMessage mixed = message(reopened.list(), "ok@example.net");
            assertThat(mixed.statuses().get(3)).isInstanceOfSatisfying(RecipientStatus.Delivered.class,
                    d -> assertThat(d.outcome()).isEqualTo(delivered));
            assertThat(mixed.statuses().get(1)).isInstanceOf(RecipientStatus.Failed.class);
            assertThat(mixed.statuses().get(2)).isInstanceOf(RecipientStatus.Deferred.class);
        }
    }

    private Path copyLegacySpool() throws IOException {
        Path spool = directory.resolve("spool");
        Files.createDirectories(spool.resolve("segments"));
        try (InputStream in = getClass().getResourceAsStream("/spool-format-1/segments/000000001.log")) {
            assertThat(in).as("test resource").isNotNull();
            Files.copy(in, spool.resolve("segments/000000001.log"));
        }
        return spool;
    }

    private static QueuedMessage message(List<QueuedMessage> all, String firstRecipient) {
        return all.stream().filter(m -> m.envelope().recipients().getFirst().address().equals(firstRecipient))
                .findFirst().orElseThrow();
    }

    private static String body(SpoolQueue queue, QueuedMessage message) throws IOException {
        try (InputStream in = queue.openBody(message.id())) {
            return new String(in.readAllBytes());
        }
    }
}
