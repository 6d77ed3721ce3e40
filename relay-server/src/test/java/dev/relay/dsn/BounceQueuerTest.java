package dev.relay.dsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.outcome.Outcome;
import dev.relay.outcome.TestOutcomes;
import dev.relay.queue.BodyType;
import dev.relay.queue.DsnNotify;
import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.MutableClock;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecordingQueueEvents;
import dev.relay.queue.spool.SpoolQueue;
import dev.relay.testkit.CapturedLogs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** DSNs into a real disk spool: committed from {@code <>} to the sender, body as composed. */
class BounceQueuerTest {
    private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

    @TempDir
    Path spool;

    private final MutableClock clock = new MutableClock(START);
    private final RecordingQueueEvents events = new RecordingQueueEvents();
    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.of(BounceQueuer.class);
    private ExecutorService executor;
    private SpoolQueue queue;

    @BeforeEach
    void open() throws IOException {
        queue = SpoolQueue.open(spool, new QueueSettings(QueueSettings.DEFAULT.retrySchedule(), 0, 0), clock, events);
        executor = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void close() throws Exception {
        executor.shutdown();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        queue.close();
    }

    private BounceQueuer bouncer(long seed) {
        return new BounceQueuer(queue, DsnFixture.SETTINGS, clock, executor,
                new DsnComposer(DsnFixture.SETTINGS, new SplittableRandom(seed)));
    }

    private QueueId submit(String sender, RecipientAddress... recipients) throws Exception {
        try (MessageDraft draft = queue.newDraft()) {
            draft.write(DsnFixture.original());
            Envelope envelope = new Envelope(sender, List.of(recipients), MailParameters.NONE, clock.instant(),
                    "192.0.2.7", "client.example.org", Optional.empty());
            return draft.commit(envelope).get(5, TimeUnit.SECONDS);
        }
    }

    /** One delivery attempt: take the message, record these results. */
    private QueuedMessage attempt(QueueId id, Map<Integer, Outcome> results) throws Exception {
        assertThat(queue.takeDue(clock.instant(), 10)).extracting(QueuedMessage::id).contains(id);
        return queue.recordResults(id, results).get(5, TimeUnit.SECONDS);
    }

    private List<String> logLines() {
        return logs.messages();
    }

    @Test
    void aBounceIsCommittedFromTheNullSenderToTheSenderWithTheComposedBody() throws Exception {
        QueueId original = submit("alice@example.org", RecipientAddress.of("bob@example.com"));
        clock.advance(Duration.ofMinutes(5));
        // the body is opened before the final result: recording it removes the message
        InputStream body = queue.openBody(original);
        QueuedMessage failed = attempt(original,
                Map.of(0, TestOutcomes.failed("550 5.1.1 <bob@example.com>: no such user")));
        assertThat(queue.find(original)).isEmpty();
        clock.advance(Duration.ofSeconds(1));

        DsnOutcome outcome = bouncer(7).queue(failed, DsnKind.FAILURE, List.of(0), body).get(5, TimeUnit.SECONDS);

        DsnOutcome.Queued queued = (DsnOutcome.Queued) outcome;
        assertThat(queued.original()).isEqualTo(original);
        assertThat(queued.recipients()).containsExactly(0);
        assertThat(queued.to()).isEqualTo("alice@example.org");
        QueuedMessage dsn = queue.find(queued.id()).orElseThrow();
        Envelope envelope = dsn.envelope();
        assertThat(envelope.sender()).isEmpty();
        assertThat(envelope.recipients()).containsExactly(
                new RecipientAddress("alice@example.org", Set.of(DsnNotify.NEVER), Optional.empty()));
        assertThat(envelope.parameters().ret()).isEmpty();
        assertThat(envelope.parameters().envelopeId()).isEmpty();
        assertThat(envelope.parameters().smtpUtf8()).isFalse();
        assertThat(envelope.parameters().body()).isEqualTo(BodyType.SEVEN_BIT);
        assertThat(envelope.arrival()).isEqualTo(clock.instant());
        assertThat(envelope.clientAddress()).isEqualTo("127.0.0.1");
        assertThat(envelope.heloName()).isEqualTo(DsnFixture.HOST);
        assertThat(envelope.authenticatedUser()).isEmpty();

        byte[] stored;
        try (InputStream in = queue.openBody(queued.id())) {
            stored = in.readAllBytes();
        }
        DsnMessage plan = DsnMessage.of(failed, DsnKind.FAILURE, List.of(0), DsnFixture.SETTINGS, clock.instant());
        byte[] composed = new DsnComposer(DsnFixture.SETTINGS, new SplittableRandom(7))
                .compose(plan, new ByteArrayInputStream(DsnFixture.original()));
        assertThat(stored).isEqualTo(composed);
        assertThat(dsn.size()).isEqualTo(composed.length);
        ParsedDsn parsed = ParsedDsn.of(stored);
        assertThat(parsed.partCount()).isEqualTo(3);
        assertThat(parsed.raw(2)).isEqualTo(DsnFixture.original());
        assertThat(parsed.rawText(1)).contains("X-Relay-Queue-ID: " + original.value() + "\r\n");

        assertThat(logLines()).containsExactly("dsn queued id=" + queued.id() + " for=" + original
                + " kind=failure rcpts=1 to=<alice@example.org>");
        assertThat(events.accepted).containsExactly(original, queued.id());
    }

    @Test
    void whenTheOriginalIsGoneTheReportGoesWithoutIt() throws Exception {
        QueueId original = submit("alice@example.org", RecipientAddress.of("bob@example.com"));
        QueuedMessage failed = attempt(original, Map.of(0, TestOutcomes.failed("550 5.1.1 no")));

        DsnOutcome outcome = bouncer(1).queue(failed, DsnKind.FAILURE, List.of(0)).get(5, TimeUnit.SECONDS);

        QueueId id = ((DsnOutcome.Queued) outcome).id();
        try (InputStream in = queue.openBody(id)) {
            ParsedDsn parsed = ParsedDsn.of(in.readAllBytes());
            assertThat(parsed.partCount()).isEqualTo(2);
            assertThat(parsed.rawText(1)).contains("Status: 5.1.1");
        }
        assertThat(logLines()).anyMatch(line -> line.contains("no longer in the spool"));
    }

    @Test
    void aMessageStillQueuedIsReadFromTheQueue() throws Exception {
        QueueId original = submit("alice@example.org", RecipientAddress.of("bob@example.com"),
                RecipientAddress.of("carol@example.net"));
        QueuedMessage partly = attempt(original, Map.of(
                0, TestOutcomes.failed("550 5.1.1 no"),
                1, TestOutcomes.deferred("451 4.4.1 later")));
        assertThat(partly.isComplete()).isFalse();

        DsnOutcome outcome = bouncer(2).queue(partly, DsnKind.FAILURE, List.of(0, 1)).get(5, TimeUnit.SECONDS);

        DsnOutcome.Queued queued = (DsnOutcome.Queued) outcome;
        assertThat(queued.recipients()).containsExactly(0); // carol is deferred, not failed
        try (InputStream in = queue.openBody(queued.id())) {
            ParsedDsn parsed = ParsedDsn.of(in.readAllBytes());
            assertThat(parsed.raw(2)).isEqualTo(DsnFixture.original());
            assertThat(parsed.rawText(1)).contains("bob@example.com").doesNotContain("carol@example.net");
        }
    }

    @Test
    void aBounceThatBouncesIsLoggedAndDropped() throws Exception {
        QueueId bounce = submit("", RecipientAddress.of("alice@example.org"));
        QueuedMessage failed = attempt(bounce, Map.of(0, TestOutcomes.failed("550 5.1.1 no")));
        int before = queue.list().size();

        DsnOutcome outcome = bouncer(3).queue(failed, DsnKind.FAILURE, List.of(0)).get(5, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(new DsnOutcome.Suppressed(bounce, DsnKind.FAILURE, DsnOutcome.Why.NULL_SENDER));
        assertThat(queue.list()).hasSize(before);
        assertThat(logLines()).containsExactly("dsn suppressed (null sender) id=" + bounce + " kind=failure rcpts=1");
    }

    @Test
    void notifyNeverMeansNoDsn() throws Exception {
        QueueId original = submit("alice@example.org",
                new RecipientAddress("bob@example.com", Set.of(DsnNotify.NEVER), Optional.empty()));
        QueuedMessage failed = attempt(original, Map.of(0, TestOutcomes.failed("550 5.1.1 no")));

        DsnOutcome outcome = bouncer(4).queue(failed, DsnKind.FAILURE, List.of(0)).get(5, TimeUnit.SECONDS);

        assertThat(outcome).isEqualTo(new DsnOutcome.Suppressed(original, DsnKind.FAILURE, DsnOutcome.Why.NOT_REQUESTED));
        assertThat(queue.list()).isEmpty();
    }

    @Test
    void delayWarningsGoToRecipientsWithoutNotifyButNotToFailureOnly() throws Exception {
        QueueId original = submit("alice@example.org", RecipientAddress.of("bob@example.com"),
                new RecipientAddress("carol@example.net", Set.of(DsnNotify.FAILURE), Optional.empty()));
        QueuedMessage deferred = attempt(original, Map.of(
                0, TestOutcomes.deferred("451 4.4.1 later"),
                1, TestOutcomes.deferred("451 4.4.1 later")));

        DsnOutcome outcome = bouncer(5).queue(deferred, DsnKind.DELAY, List.of(0, 1)).get(5, TimeUnit.SECONDS);

        DsnOutcome.Queued queued = (DsnOutcome.Queued) outcome;
        assertThat(queued.recipients()).containsExactly(0);
        try (InputStream in = queue.openBody(queued.id())) {
            ParsedDsn parsed = ParsedDsn.of(in.readAllBytes());
            assertThat(parsed.header("Subject")).isEqualTo("Delayed Mail (still being retried)");
            assertThat(parsed.rawText(1)).contains("Action: delayed").doesNotContain("carol@example.net");
            assertThat(parsed.part(2).isMimeType("text/rfc822-headers")).isTrue();
        }
        assertThat(queue.find(original)).isPresent(); // the original is still being retried

        QueueId onlyFailure = submit("alice@example.org",
                new RecipientAddress("dave@example.net", Set.of(DsnNotify.FAILURE), Optional.empty()));
        QueuedMessage stillDeferred = attempt(onlyFailure, Map.of(0, TestOutcomes.deferred("451 4.4.1 later")));
        assertThat(bouncer(6).queue(stillDeferred, DsnKind.DELAY, List.of(0)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(DsnOutcome.Suppressed.class);
    }

    @Test
    void aBadIndexIsRefusedAtOnceAndTheStreamClosed() throws Exception {
        QueueId original = submit("alice@example.org", RecipientAddress.of("bob@example.com"));
        QueuedMessage message = queue.find(original).orElseThrow();
        boolean[] closed = {false};
        InputStream body = new ByteArrayInputStream(new byte[0]) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        assertThatThrownBy(() -> bouncer(8).queue(message, DsnKind.FAILURE, List.of(5), body))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(closed[0]).isTrue();
    }
}
