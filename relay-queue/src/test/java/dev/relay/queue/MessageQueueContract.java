package dev.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.outcome.Outcome;
import dev.relay.outcome.TestOutcomes;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageQueue} over every store must do. A store implementation gets a
 * subclass that says how to open a queue over the same storage again ("reopen": a restart).
 * Time only moves through {@link #clock}.
 */
public abstract class MessageQueueContract {

    protected static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    protected static final RetrySchedule SCHEDULE = new RetrySchedule(
            List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15)), Duration.ofHours(2));

    protected final MutableClock clock = new MutableClock(START);
    protected RecordingQueueEvents events = new RecordingQueueEvents();
    protected QueueSettings settings = new QueueSettings(SCHEDULE, 0, 0);
    protected MessageQueue queue;

    /** Opens a queue over this test's storage; called again after close for a "restart". */
    protected abstract MessageQueue open(QueueSettings settings, Clock clock, QueueEvents events) throws IOException;

    /** A body size that the store keeps apart from small ones (spilled to a file on disk). */
    protected abstract int largeBodySize();

    @BeforeEach
    void openQueue() throws IOException {
        queue = open(settings, clock, events);
    }

    @AfterEach
    void closeQueue() throws IOException {
        if (queue != null) {
            queue.close();
        }
    }

    protected void reopen() throws IOException {
        queue.close();
        events = new RecordingQueueEvents();
        queue = open(settings, clock, events);
    }

    protected void reopen(QueueSettings newSettings) throws IOException {
        settings = newSettings;
        reopen();
    }

    protected Envelope envelope(String... recipients) {
        List<RecipientAddress> addresses = new ArrayList<>();
        for (String recipient : recipients) {
            addresses.add(RecipientAddress.of(recipient));
        }
        return new Envelope("alice@example.com", addresses, MailParameters.NONE, clock.instant(), "192.0.2.7",
                "client.example.com", Optional.empty());
    }

    protected QueueId commit(byte[] body, Envelope envelope) throws Exception {
        try (MessageDraft draft = queue.newDraft()) {
            draft.write(body);
            return draft.commit(envelope).get(30, TimeUnit.SECONDS);
        }
    }

    protected QueueId commit(String... recipients) throws Exception {
        return commit(("Subject: test\r\n\r\nhello " + recipients[0] + "\r\n").getBytes(), envelope(recipients));
    }

    protected byte[] body(QueueId id) throws IOException {
        try (InputStream in = queue.openBody(id)) {
            return in.readAllBytes();
        }
    }

    protected QueuedMessage found(QueueId id) {
        return queue.find(id).orElseThrow(() -> new AssertionError("message " + id + " not found"));
    }

    protected static byte[] randomBody(int size, long seed) {
        byte[] body = new byte[size];
        new Random(seed).nextBytes(body);
        return body;
    }

    private QueuedMessage record(QueueId id, Map<Integer, Outcome> results) throws Exception {
        return queue.recordResults(id, results).get(30, TimeUnit.SECONDS);
    }

    // ---- commit, find, body

    @Test
    void committedMessageIsFoundWithItsEnvelopeAndBodyByteForByte() throws Exception {
        byte[] body = randomBody(10_000, 1);
        Envelope envelope = envelope("bob@example.org", "carol@example.net");

        QueueId id = commit(body, envelope);

        QueuedMessage message = found(id);
        assertThat(message.envelope()).isEqualTo(envelope);
        assertThat(message.statuses()).containsExactly(new RecipientStatus.Pending(), new RecipientStatus.Pending());
        assertThat(message.size()).isEqualTo(body.length);
        assertThat(message.attempts()).isZero();
        assertThat(message.held()).isFalse();
        assertThat(body(id)).isEqualTo(body);
        assertThat(events.accepted()).containsExactly(id);
    }

    @Test
    void emptyBodyIsStored() throws Exception {
        QueueId id = commit(new byte[0], envelope("bob@example.org"));

        assertThat(body(id)).isEmpty();
        reopen();
        assertThat(body(id)).isEmpty();
        assertThat(found(id).size()).isZero();
    }

    @Test
    void envelopeWithEveryParameterSurvivesRestart() throws Exception {
        Envelope envelope = new Envelope("", List.of(
                new RecipientAddress("bob@example.org", EnumSet.of(DsnNotify.SUCCESS, DsnNotify.FAILURE),
                        Optional.of("rfc822;bob@example.org")),
                new RecipientAddress("\"odd\\ name\"@例え.jp", Set.of(DsnNotify.NEVER), Optional.empty()),
                RecipientAddress.of("carol@example.net")),
                new MailParameters(OptionalLong.of(123_456), BodyType.EIGHT_BIT_MIME, true, Optional.of(DsnReturn.HDRS),
                        Optional.of("env id: with\nnewline\\ and \u0001 control")),
                START.plusNanos(123_456_789), "2001:db8::1", "helo with spaces\r\nand: colons",
                Optional.of("jöhn@example.com"));

        QueueId id = commit("x".getBytes(), envelope);
        reopen();

        assertThat(found(id).envelope()).isEqualTo(envelope);
    }

    @Test
    void largeBodyWrittenInOddChunksComesBackByteForByte() throws Exception {
        byte[] body = randomBody(3 * largeBodySize() + 17, 2);
        QueueId id;
        try (MessageDraft draft = queue.newDraft()) {
            int offset = 0;
            for (int chunk = 1; offset < body.length; chunk = chunk * 7 % 7919 + 1) {
                int length = Math.min(chunk, body.length - offset);
                draft.write(body, offset, length);
                offset += length;
            }
            assertThat(draft.size()).isEqualTo(body.length);
            id = draft.commit(envelope("bob@example.org")).get(30, TimeUnit.SECONDS);
        }

        assertThat(body(id)).isEqualTo(body);
        assertThat(found(id).size()).isEqualTo(body.length);
        reopen();
        assertThat(body(id)).isEqualTo(body);
    }

    @Test
    void draftClosedWithoutCommitLeavesNothing() throws Exception {
        QueueId small;
        QueueId large;
        try (MessageDraft draft = queue.newDraft()) {
            small = draft.id();
            draft.write(randomBody(100, 3));
        }
        try (MessageDraft draft = queue.newDraft()) {
            large = draft.id();
            draft.write(randomBody(2 * largeBodySize(), 4));
        }

        assertThat(queue.list()).isEmpty();
        assertThat(queue.find(small)).isEmpty();
        reopen();
        assertThat(queue.list()).isEmpty();
        assertThat(queue.find(large)).isEmpty();
        assertThatThrownBy(() -> queue.openBody(large)).isInstanceOf(IOException.class);
    }

    @Test
    void idsAreUniqueWellFormedAndFollowTime() throws Exception {
        List<QueueId> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            try (MessageDraft draft = queue.newDraft()) {
                ids.add(draft.id());
            }
            if (i % 100 == 0) {
                clock.advance(Duration.ofMillis(3));
            }
        }

        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        assertThat(ids).allSatisfy(id -> assertThat(id.value()).matches("[0-9A-Za-z]{6,32}"));
        List<QueueId> sorted = new ArrayList<>(ids);
        Collections.sort(sorted);
        assertThat(sorted).isEqualTo(ids);
    }

    // ---- scheduling and leases

    @Test
    void takeDueHandsAMessageOutOnceUntilItIsReturned() throws Exception {
        QueueId id = commit("bob@example.org");

        assertThat(queue.takeDue(clock.instant(), 10)).extracting(QueuedMessage::id).containsExactly(id);
        assertThat(queue.takeDue(clock.instant(), 10)).isEmpty();
        assertThat(queue.nextDue()).isEmpty();

        queue.giveBack(id);
        assertThat(queue.nextDue()).contains(START);
        assertThat(queue.takeDue(clock.instant(), 10)).extracting(QueuedMessage::id).containsExactly(id);
        assertThat(queue.takeDue(clock.instant(), 10)).isEmpty();
    }

    @Test
    void takeDueGivesOldestFirstAndHonoursTheLimit() throws Exception {
        QueueId first = commit("a@example.org");
        clock.advance(Duration.ofSeconds(1));
        QueueId second = commit("b@example.org");
        clock.advance(Duration.ofSeconds(1));
        QueueId third = commit("c@example.org");

        assertThat(queue.takeDue(clock.instant(), 2)).extracting(QueuedMessage::id).containsExactly(first, second);
        assertThat(queue.takeDue(clock.instant(), 2)).extracting(QueuedMessage::id).containsExactly(third);
    }

    @Test
    void messageIsNotDueBeforeItArrived() throws Exception {
        commit("bob@example.org");

        assertThat(queue.takeDue(START.minusSeconds(1), 10)).isEmpty();
        assertThat(queue.nextDue()).contains(START);
    }

    @Test
    void temporaryFailuresFollowTheRetrySchedule() throws Exception {
        QueueId id = commit("bob@example.org");
        List<Duration> expected = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
                Duration.ofMinutes(15));

        for (int attempt = 1; attempt <= expected.size(); attempt++) {
            assertThat(queue.takeDue(clock.instant(), 1)).extracting(QueuedMessage::id).containsExactly(id);
            QueuedMessage after = record(id, Map.of(0, TestOutcomes.deferred("451 4.4.1 try later")));

            Instant next = clock.instant().plus(expected.get(attempt - 1));
            assertThat(after.attempts()).isEqualTo(attempt);
            assertThat(after.statuses()).containsExactly(new RecipientStatus.Deferred(next, TestOutcomes.deferred("451 4.4.1 try later")));
            assertThat(queue.takeDue(clock.instant(), 1)).isEmpty();
            assertThat(queue.nextDue()).contains(next);
            clock.set(next);
        }
        assertThat(found(id).attempts()).isEqualTo(expected.size());
    }

    @Test
    void recipientsAreRecordedIndependently() throws Exception {
        QueueId id = commit("bob@example.org", "carol@example.net", "dave@example.com");
        queue.takeDue(clock.instant(), 1);

        QueuedMessage after = record(id, Map.of(
                0, TestOutcomes.delivered("250 2.0.0 ok"),
                2, TestOutcomes.deferred("421 4.3.0 busy")));

        assertThat(after.statuses()).containsExactly(
                new RecipientStatus.Delivered(START, TestOutcomes.delivered("250 2.0.0 ok")),
                new RecipientStatus.Pending(),
                new RecipientStatus.Deferred(START.plus(Duration.ofMinutes(1)), TestOutcomes.deferred("421 4.3.0 busy")));
        assertThat(found(id)).isEqualTo(after);
        assertThat(events.updates()).extracting(RecordingQueueEvents.Update::recipient).containsExactly(0, 2);
        // the pending recipient keeps the message due now
        assertThat(queue.takeDue(clock.instant(), 1)).extracting(QueuedMessage::id).containsExactly(id);
    }

    @Test
    void messageLeavesTheQueueWhenEveryRecipientIsFinal() throws Exception {
        QueueId id = commit(randomBody(2 * largeBodySize(), 5), envelope("bob@example.org", "carol@example.net"));
        QueueId other = commit("dave@example.com");
        queue.takeDue(clock.instant(), 10);

        QueuedMessage after = record(id, Map.of(
                0, TestOutcomes.delivered("250 ok"),
                1, TestOutcomes.failed("550 5.1.1 no such user")));

        assertThat(after.isComplete()).isTrue();
        assertThat(after.statuses().get(1)).isEqualTo(new RecipientStatus.Failed(START, TestOutcomes.failed("550 5.1.1 no such user")));
        assertThat(events.completed()).containsExactly(id);
        assertThat(queue.find(id)).isEmpty();
        assertThat(queue.list()).extracting(QueuedMessage::id).containsExactly(other);
        assertThatThrownBy(() -> queue.openBody(id)).isInstanceOf(IOException.class);
        reopen();
        assertThat(queue.find(id)).isEmpty();
        assertThat(queue.list()).extracting(QueuedMessage::id).containsExactly(other);
    }

    @Test
    void messageThatWasNotHandedOutCanStillComplete() throws Exception {
        QueueId id = commit("bob@example.org");
        QueueId deferred = commit("carol@example.net");
        record(deferred, Map.of(0, TestOutcomes.deferred("451 later")));

        record(id, Map.of(0, TestOutcomes.delivered("250 ok")));
        record(deferred, Map.of(0, TestOutcomes.failed("550 no")));

        assertThat(queue.list()).isEmpty();
        assertThat(queue.nextDue()).isEmpty();
        assertThat(events.completed()).containsExactly(id, deferred);
    }

    @Test
    void temporaryFailurePastTheLifetimeFailsAsExpired() throws Exception {
        QueueId id = commit("bob@example.org");
        clock.advance(Duration.ofMinutes(119).plusSeconds(30)); // the next attempt would fall after 2h
        queue.takeDue(clock.instant(), 1);

        QueuedMessage after = record(id, Map.of(0, TestOutcomes.deferred("451 later")));

        assertThat(after.statuses().get(0)).isInstanceOfSatisfying(RecipientStatus.Failed.class, failed -> {
            assertThat(failed.reason()).contains("expired").contains("451 later");
            assertThat(failed.at()).isEqualTo(clock.instant());
        });
        assertThat(events.completed()).containsExactly(id);
        assertThat(queue.find(id)).isEmpty();
    }

    @Test
    void resultsForAFinalRecipientDoNotChangeIt() throws Exception {
        QueueId id = commit("bob@example.org", "carol@example.net");
        record(id, Map.of(0, TestOutcomes.delivered("250 ok")));

        QueuedMessage after = record(id, Map.of(0, TestOutcomes.failed("550 no"),
                1, TestOutcomes.deferred("451 later")));

        assertThat(after.statuses().get(0)).isEqualTo(new RecipientStatus.Delivered(START, TestOutcomes.delivered("250 ok")));
        assertThat(after.attempts()).isEqualTo(2);
    }

    @Test
    void resultsForAnUnknownMessageOrRecipientAreRejected() throws Exception {
        QueueId id = commit("bob@example.org");
        QueueId unknown = new QueueId("NOSUCHMESSAGE1");

        assertThat(queue.recordResults(unknown, Map.of(0, TestOutcomes.delivered("250"))))
                .failsWithin(Duration.ofSeconds(5));
        assertThatThrownBy(() -> queue.recordResults(id, Map.of(1, TestOutcomes.delivered("250"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stateSurvivesRestart() throws Exception {
        QueueId partial = commit("bob@example.org", "carol@example.net");
        QueueId held = commit("dave@example.com");
        QueueId untouched = commit("erin@example.com");
        queue.takeDue(clock.instant(), 10);
        record(partial, Map.of(0, TestOutcomes.delivered("250 ok"),
                1, TestOutcomes.deferred("452 full")));
        queue.giveBack(held);
        queue.giveBack(untouched);
        assertThat(queue.hold(held)).isTrue();
        List<QueuedMessage> before = queue.list();

        reopen();

        assertThat(queue.list()).isEqualTo(before);
        assertThat(found(partial).statuses().get(1))
                .isEqualTo(new RecipientStatus.Deferred(START.plus(Duration.ofMinutes(1)), TestOutcomes.deferred("452 full")));
        assertThat(found(partial).attempts()).isEqualTo(1);
        assertThat(found(held).held()).isTrue();
        // after a restart nothing is leased: due messages are handed out again
        assertThat(queue.takeDue(clock.instant(), 10)).extracting(QueuedMessage::id).containsExactly(untouched);
    }

    @Test
    void manyUpdatesOfOneMessageKeepTheLatestAcrossRestart() throws Exception {
        QueueId id = commit("bob@example.org");
        for (int i = 0; i < 50; i++) {
            queue.takeDue(clock.instant(), 1);
            record(id, Map.of(0, TestOutcomes.deferred("451 attempt " + i)));
            clock.advance(Duration.ofMinutes(1));
            queue.retryNow(id);
        }
        QueuedMessage before = found(id);

        reopen();

        assertThat(found(id)).isEqualTo(before);
        assertThat(found(id).attempts()).isEqualTo(50);
    }

    @Test
    void whoseVerdictEachReasonIsSurvivesRestartAndExpiry() throws Exception {
        QueueId id = commit("bob@example.org", "carol@example.net", "dave@example.com", "erin@example.com");
        queue.takeDue(clock.instant(), 1);
        record(id, Map.of(
                0, TestOutcomes.failed("550 5.1.1 no such user", Optional.of("mx1.example.org")),
                1, TestOutcomes.deferred("451 4.2.0 busy", Optional.of("mx2.example.net")),
                2, TestOutcomes.deferred("451 4.4.1 connect to mx.example.com[192.0.2.1]:25: refused"),
                3, TestOutcomes.delivered("250 2.0.0 ok", Optional.of("mx.example.com"))));

        reopen();

        List<RecipientStatus> statuses = found(id).statuses();
        assertThat(statuses).extracting(RecipientStatus::remoteMta).containsExactly(
                Optional.of("mx1.example.org"), Optional.of("mx2.example.net"), Optional.empty(),
                Optional.of("mx.example.com"));
        assertThat(statuses.get(1)).isEqualTo(new RecipientStatus.Deferred(START.plus(Duration.ofMinutes(1)), TestOutcomes.deferred("451 4.2.0 busy", Optional.of("mx2.example.net"))));

        // past the lifetime the last reply is quoted, and stays the remote's
        clock.advance(Duration.ofHours(2));
        QueuedMessage after = record(id, Map.of(1, TestOutcomes.deferred("452 4.2.2 full",
                Optional.of("mx3.example.net")), 2, TestOutcomes.deferred("451 4.4.3 DNS")));
        assertThat(after.statuses().get(1)).isInstanceOfSatisfying(RecipientStatus.Failed.class, failed -> {
            assertThat(failed.reason()).startsWith("delivery time expired").endsWith("last reply: 452 4.2.2 full");
            assertThat(failed.remoteMta()).contains("mx3.example.net");
        });
        assertThat(after.statuses().get(2).remoteMta()).isEmpty();
    }

    // ---- delay warnings

    @Test
    void theDelayWarnedMarkIsSetOnceAndSurvivesRestart() throws Exception {
        QueueId id = commit("bob@example.org");
        queue.takeDue(clock.instant(), 1);
        record(id, Map.of(0, TestOutcomes.deferred("451 later")));
        assertThat(found(id).delayWarned()).isFalse();

        assertThat(queue.markDelayWarned(id)).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(true);

        assertThat(found(id).delayWarned()).isTrue();
        assertThat(queue.markDelayWarned(id)).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(false);
        reopen();
        assertThat(found(id).delayWarned()).isTrue();
        assertThat(queue.markDelayWarned(id)).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(false);
    }

    @Test
    void theDelayWarnedMarkChangesNothingElseAndOutlivesLaterAttempts() throws Exception {
        QueueId id = commit("bob@example.org", "carol@example.net");
        queue.takeDue(clock.instant(), 1);
        record(id, Map.of(0, TestOutcomes.deferred("451 later"),
                1, TestOutcomes.deferred("452 full")));
        QueuedMessage before = found(id);
        assertThat(queue.nextDue()).contains(START.plus(Duration.ofMinutes(1)));

        queue.markDelayWarned(id).get(30, TimeUnit.SECONDS);

        QueuedMessage marked = found(id);
        assertThat(marked.statuses()).isEqualTo(before.statuses());
        assertThat(marked.attempts()).isEqualTo(before.attempts());
        assertThat(queue.nextDue()).contains(START.plus(Duration.ofMinutes(1)));
        assertThat(queue.takeDue(clock.instant(), 1)).as("marking does not make it due").isEmpty();

        // a later attempt, a hold and a release, a restart: still warned
        clock.advance(Duration.ofMinutes(1));
        queue.takeDue(clock.instant(), 1);
        record(id, Map.of(0, TestOutcomes.delivered("250 ok")));
        queue.hold(id);
        queue.release(id);
        reopen();
        assertThat(found(id).delayWarned()).isTrue();
        assertThat(found(id).statuses().get(0)).isInstanceOf(RecipientStatus.Delivered.class);
        assertThat(found(id).statuses().get(1)).isInstanceOf(RecipientStatus.Deferred.class);
    }

    @Test
    void aMessageNoLongerQueuedCannotBeMarked() throws Exception {
        QueueId id = commit("bob@example.org");
        record(id, Map.of(0, TestOutcomes.delivered("250 ok")));

        assertThat(queue.markDelayWarned(id)).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(false);
        assertThat(queue.markDelayWarned(new QueueId("NOSUCHMESSAGE1"))).succeedsWithin(Duration.ofSeconds(30))
                .isEqualTo(false);
    }

    @Test
    void aHandedOutMessageCanBeMarkedAndItsResultsKeepTheMark() throws Exception {
        QueueId id = commit("bob@example.org");
        queue.takeDue(clock.instant(), 1);

        assertThat(queue.markDelayWarned(id).get(30, TimeUnit.SECONDS)).isTrue();
        QueuedMessage after = record(id, Map.of(0, TestOutcomes.deferred("451 later")));

        assertThat(after.delayWarned()).isTrue();
        assertThat(queue.takeDue(clock.instant(), 1)).as("recording returned it; not due yet").isEmpty();
    }

    // ---- admin actions

    @Test
    void heldMessageIsNotDeliveredUntilReleased() throws Exception {
        QueueId id = commit("bob@example.org");
        queue.takeDue(clock.instant(), 1);
        record(id, Map.of(0, TestOutcomes.deferred("451 later")));

        assertThat(queue.hold(id)).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(queue.takeDue(clock.instant(), 10)).isEmpty();
        assertThat(queue.nextDue()).isEmpty();
        assertThat(found(id).held()).isTrue();

        assertThat(queue.release(id)).isTrue();
        assertThat(found(id).held()).isFalse();
        assertThat(found(id).statuses()).containsExactly(new RecipientStatus.Deferred(START.plus(
                Duration.ofMinutes(1)), TestOutcomes.deferred("451 later")));
        assertThat(queue.takeDue(clock.instant(), 10)).extracting(QueuedMessage::id).containsExactly(id);
    }

    @Test
    void releaseMakesDeferredRecipientsDueNow() throws Exception {
        QueueId id = commit("bob@example.org");
        record(id, Map.of(0, TestOutcomes.deferred("451 later")));
        queue.hold(id);

        queue.release(id);

        assertThat(found(id).statuses()).containsExactly(new RecipientStatus.Deferred(START, TestOutcomes.deferred("451 later")));
        assertThat(queue.nextDue()).contains(START);
    }

    @Test
    void retryNowMakesDeferredRecipientsDue() throws Exception {
        QueueId id = commit("bob@example.org");
        record(id, Map.of(0, TestOutcomes.deferred("451 later")));
        clock.advance(Duration.ofSeconds(10));
        assertThat(queue.takeDue(clock.instant(), 1)).isEmpty();

        assertThat(queue.retryNow(id)).isTrue();

        assertThat(queue.takeDue(clock.instant(), 1)).extracting(QueuedMessage::id).containsExactly(id);
        reopen();
        assertThat(queue.nextDue()).contains(START.plusSeconds(10));
    }

    @Test
    void deleteRemovesTheMessageForGood() throws Exception {
        QueueId id = commit("bob@example.org");
        QueueId kept = commit("carol@example.net");

        assertThat(queue.delete(id)).isTrue();

        assertThat(events.deleted()).containsExactly(id);
        assertThat(events.completed()).isEmpty();
        assertThat(queue.find(id)).isEmpty();
        assertThat(queue.delete(id)).isFalse();
        reopen();
        assertThat(queue.list()).extracting(QueuedMessage::id).containsExactly(kept);
    }

    @Test
    void adminActionsOnUnknownMessagesSayFalse() {
        QueueId unknown = new QueueId("NOSUCHMESSAGE1");

        assertThat(queue.hold(unknown)).isFalse();
        assertThat(queue.release(unknown)).isFalse();
        assertThat(queue.retryNow(unknown)).isFalse();
        assertThat(queue.delete(unknown)).isFalse();
        assertThat(queue.find(unknown)).isEmpty();
    }

    @Test
    void deletingAHandedOutMessageMakesItsResultsFail() throws Exception {
        QueueId id = commit("bob@example.org");
        queue.takeDue(clock.instant(), 1);

        queue.delete(id);

        CompletableFuture<QueuedMessage> late = queue.recordResults(id, Map.of(0, TestOutcomes.delivered("250")));
        assertThat(late).failsWithin(Duration.ofSeconds(5));
        assertThat(events.completed()).isEmpty();
    }

    @Test
    void listIsOldestFirstAndSnapshotCountsByState() throws Exception {
        QueueId deferred = commit("a@example.org");
        clock.advance(Duration.ofSeconds(1));
        QueueId held = commit(randomBody(500, 6), envelope("b@example.org"));
        clock.advance(Duration.ofSeconds(1));
        QueueId active = commit("c@example.org");
        record(deferred, Map.of(0, TestOutcomes.deferred("451")));
        queue.hold(held);

        assertThat(queue.list()).extracting(QueuedMessage::id).containsExactly(deferred, held, active);
        QueueSnapshot snapshot = queue.snapshot();
        assertThat(snapshot.active()).isEqualTo(1);
        assertThat(snapshot.deferred()).isEqualTo(1);
        assertThat(snapshot.held()).isEqualTo(1);
        assertThat(snapshot.total()).isEqualTo(3);
        assertThat(snapshot.oldestArrival()).contains(START);
        assertThat(snapshot.bytes()).isEqualTo(queue.list().stream().mapToLong(QueuedMessage::size).sum());

        queue.takeDue(clock.instant(), 10);
        assertThat(queue.snapshot().active()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(queue.snapshot().active()).isEqualTo(2);
    }

    @Test
    void oldestGivesTheFirstArrivalsInOrder() throws Exception {
        List<QueueId> committed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            committed.add(commit("r" + i + "@example.org"));
            clock.advance(Duration.ofSeconds(1));
        }
        queue.hold(committed.get(1));

        assertThat(queue.oldest(3)).extracting(QueuedMessage::id).containsExactlyElementsOf(committed.subList(0, 3));
        assertThat(queue.oldest(3).get(1).held()).isTrue();
        assertThat(queue.oldest(10)).extracting(QueuedMessage::id).containsExactlyElementsOf(committed);
        assertThat(queue.oldest(0)).isEmpty();
        queue.delete(committed.get(0));
        assertThat(queue.oldest(1)).extracting(QueuedMessage::id).containsExactly(committed.get(1));
    }

    @Test
    void pagesWalkTheWholeListingInOrderAndSurviveRemovalOfTheCursorsMessage() throws Exception {
        List<QueueId> committed = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            committed.add(commit("r" + i + "@example.org"));
            if (i != 3) { // two messages arrive at the same instant: the id breaks the tie
                clock.advance(Duration.ofSeconds(1));
            }
        }
        List<QueueId> walked = new ArrayList<>();
        Optional<QueueCursor> after = Optional.empty();
        while (true) {
            List<QueuedMessage> page = queue.page(after, 3);
            page.forEach(m -> walked.add(m.id()));
            if (page.size() < 3) {
                break;
            }
            after = Optional.of(QueueCursor.of(page.getLast()));
        }
        assertThat(walked).containsExactlyElementsOf(queue.list().stream().map(QueuedMessage::id).toList());
        assertThat(walked).containsExactlyInAnyOrderElementsOf(committed);

        List<QueuedMessage> first = queue.page(Optional.empty(), 2);
        QueueCursor cursor = QueueCursor.of(first.getLast());
        queue.delete(first.getLast().id());
        assertThat(queue.page(Optional.of(cursor), 2)).extracting(QueuedMessage::id)
                .containsExactlyElementsOf(walked.subList(2, 4));
        assertThat(QueueCursor.parse(cursor.toString())).contains(cursor);
        assertThat(queue.page(Optional.of(cursor), 0)).isEmpty();
    }

    // ---- admission

    @Test
    void admissionIsRefusedAtMaxMessages() throws Exception {
        reopen(new QueueSettings(SCHEDULE, 0, 2));
        assertThat(queue.admission()).isEqualTo(Admission.OPEN);
        QueueId first = commit("a@example.org");
        assertThat(queue.admission()).isEqualTo(Admission.OPEN);
        commit("b@example.org");

        assertThat(queue.admission()).isInstanceOfSatisfying(Admission.Refused.class,
                refused -> assertThat(refused.reason()).contains("full"));

        queue.delete(first);
        assertThat(queue.admission()).isEqualTo(Admission.OPEN);
    }

    @Test
    void admissionIsRefusedWhenFreeSpaceIsBelowTheMinimum() throws Exception {
        reopen(new QueueSettings(SCHEDULE, Long.MAX_VALUE, 0));

        assertThat(queue.admission()).isInstanceOfSatisfying(Admission.Refused.class,
                refused -> assertThat(refused.reason()).contains("disk"));
    }

    // ---- concurrency and lifecycle

    @Test
    void concurrentCommitsAreAllPresentExactlyOnce() throws Exception {
        int threads = 16;
        int perThread = 40;
        Map<QueueId, byte[]> committed = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        byte[] body = randomBody(500 + thread * 37 + i, thread * 1000L + i);
                        committed.put(commit(body, envelope("rcpt" + thread + "-" + i + "@example.org")), body);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(committed).hasSize(threads * perThread);
        assertAllPresentOnce(committed);
        reopen();
        assertAllPresentOnce(committed);
    }

    private void assertAllPresentOnce(Map<QueueId, byte[]> committed) throws IOException {
        List<QueuedMessage> listed = queue.list();
        assertThat(listed).extracting(QueuedMessage::id).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(committed.keySet());
        for (Map.Entry<QueueId, byte[]> entry : committed.entrySet()) {
            assertThat(body(entry.getKey())).isEqualTo(entry.getValue());
        }
    }

    @Test
    void everyCallAfterCloseFails() throws Exception {
        QueueId id = commit("bob@example.org");
        MessageDraft draft = queue.newDraft();
        queue.close();

        List<ThrowingCall> calls = List.of(
                queue::admission, queue::newDraft, () -> queue.find(id), () -> queue.openBody(id),
                () -> queue.takeDue(clock.instant(), 1), queue::nextDue,
                () -> queue.recordResults(id, Map.of(0, TestOutcomes.delivered("250"))),
                () -> {
                    queue.giveBack(id);
                    return null;
                }, () -> queue.hold(id), () -> queue.release(id), () -> queue.retryNow(id),
                () -> queue.delete(id), queue::list, () -> queue.oldest(1), queue::snapshot, () -> draft.commit(envelope("x@example.org")));
        for (ThrowingCall call : calls) {
            assertThatThrownBy(call::call).isInstanceOf(IllegalStateException.class);
        }
        queue.close(); // a second close is harmless
        queue = null;
    }

    @Test
    void commitsInFlightAtCloseAreCompletedFirst() throws Exception {
        List<CompletableFuture<QueueId>> futures = new ArrayList<>();
        Map<CompletableFuture<QueueId>, byte[]> bodies = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            MessageDraft draft = queue.newDraft();
            byte[] body = randomBody(1000 + i, 100 + i);
            draft.write(body);
            CompletableFuture<QueueId> future = draft.commit(envelope("r" + i + "@example.org"));
            futures.add(future);
            bodies.put(future, body);
        }

        queue.close();
        queue = open(settings, clock, events);

        for (CompletableFuture<QueueId> future : futures) {
            assertThat(future).isCompleted();
            assertThat(body(future.get())).isEqualTo(bodies.get(future));
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        Object call() throws Exception;
    }

    protected static <T> T get(CompletableFuture<T> future) throws InterruptedException, ExecutionException {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not completed in time", e);
        }
    }
}
