package dev.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.delivery.testkit.TestMx;
import dev.relay.dsn.BounceQueuer;
import dev.relay.dsn.DsnKind;
import dev.relay.dsn.DsnOutcome;
import dev.relay.dsn.DsnSettings;
import dev.relay.queue.DsnNotify;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueId;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecipientStatus;
import dev.relay.smtp.client.ClientFixture;
import dev.relay.testkit.Await;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler with the real {@link BounceQueuer}, as the relay wires them: the one delay
 * warning per message (injected clock, no sleeps), and what a bounce says about whose verdict
 * it reports. DSNs are read back from the queue they were committed to.
 */
class SchedulerDsnTest {

    private static final Instant START = Instant.parse("2026-02-02T08:00:00Z");
    private static final Duration RETRY = Duration.ofMinutes(10);
    private static final Duration LIFETIME = Duration.ofHours(5);
    private static final Duration WARN_AFTER = Duration.ofMinutes(30);
    /** Nothing listens here on TestMx's port (it binds 127.0.0.1 only): connection refused. */
    private static final String DEAD = "127.0.0.2";
    private static final String SENDER = "sender@origin.test";

    /** Every DSN request the scheduler made, as the BounceQueuer answered it. */
    private final List<CompletableFuture<DsnOutcome>> dsns = new CopyOnWriteArrayList<>();
    private final List<QueueId> delayCalls = new CopyOnWriteArrayList<>();
    private ExecutorService dsnWorker;
    private DeliveryWorld world;
    private TestMx mx;
    private MessageQueue queue;

    @BeforeEach
    void setUp() {
        world = DeliveryWorld.start(START, RETRY, LIFETIME);
        dsnWorker = Executors.newSingleThreadExecutor();
    }

    private void start(TestMx.Builder mxBuilder, Optional<Duration> warnAfter) {
        mx = world.mx(mxBuilder);
        queue = world.queue();
        world.startScheduler(builder -> withBouncer(builder, warnAfter));
    }

    /** The scheduler's failures and delays go to the real BounceQueuer, on the queue open now. */
    private DeliveryScheduler.Builder withBouncer(DeliveryScheduler.Builder builder, Optional<Duration> warnAfter) {
        BounceQueuer bouncer = new BounceQueuer(world.queue(), DsnSettings.of("relay.test", LIFETIME), world.clock, dsnWorker);
        builder.bounces((after, failed, original) -> dsns.add(original
                .map(body -> bouncer.queue(after, DsnKind.FAILURE, failed, body))
                .orElseGet(() -> bouncer.queue(after, DsnKind.FAILURE, failed))));
        warnAfter.ifPresent(after -> builder.delayWarnings(after, (message, deferred) -> {
            delayCalls.add(message.id());
            dsns.add(bouncer.queue(message, DsnKind.DELAY, deferred));
        }));
        return builder;
    }

    /** Opens the queue over the same spool again, as after a restart, and a scheduler on it. */
    private void restart(Optional<Duration> warnAfter) throws Exception {
        world.restart(builder -> withBouncer(builder, warnAfter));
        queue = world.queue();
    }

    @AfterEach
    void tearDown() throws Exception {
        world.close();
        dsnWorker.shutdown();
    }

    // ---------------------------------------------------------------- delay warnings

    @Test
    void aMessageStillDeferredPastTheThresholdWarnsItsSenderOnceWithTheRecipientsThatAskedForIt() throws Exception {
        start(TestMx.builder(), Optional.of(WARN_AFTER));
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", DEAD);
        QueueId id = submit(SENDER, RecipientAddress.of("alice@a.test"),
                new RecipientAddress("bob@a.test", Set.of(DsnNotify.FAILURE), Optional.empty()),
                new RecipientAddress("carol@a.test", Set.of(DsnNotify.DELAY, DsnNotify.FAILURE), Optional.empty()));

        // attempts at 0, 10 and 20 minutes: deferred, but not late enough to warn
        for (int attempt = 0; attempt < 3; attempt++) {
            world.runOnce();
            assertThat(queue.find(id).orElseThrow().statuses()).allMatch(RecipientStatus.Deferred.class::isInstance);
            world.clock.advance(RETRY);
        }
        assertThat(delayCalls).isEmpty();
        assertThat(queue.find(id).orElseThrow().delayWarned()).isFalse();

        world.runOnce(); // 30 minutes: late

        assertThat(delayCalls).containsExactly(id);
        assertThat(queue.find(id).orElseThrow().delayWarned()).isTrue();
        DsnOutcome.Queued warning = queued(dsns.getFirst());
        assertThat(warning.kind()).isEqualTo(DsnKind.DELAY);
        assertThat(warning.recipients()).as("bob asked for failures only").containsExactly(0, 2);
        assertThat(warning.to()).isEqualTo(SENDER);
        assertThat(queue.find(warning.id()).orElseThrow().envelope().sender()).as("from <>").isEmpty();
        String text = unfolded(dsnText(warning));
        assertThat(text)
                .contains("Subject: Delayed Mail (still being retried)")
                .contains("Final-Recipient: rfc822; alice@a.test")
                .contains("Final-Recipient: rfc822; carol@a.test")
                .doesNotContain("bob@a.test")
                .contains("Action: delayed")
                .contains("Status: 4.4.1")
                .contains("Will-Retry-Until: " + rfc5322(START.plus(LIFETIME)))
                .contains("30 minutes after the relay accepted it. The relay is still trying, and will go on until "
                        + rfc5322(START.plus(LIFETIME)) + ". You do not need to send it again.")
                // every MX refused the connection: the relay's finding, no server's reply
                .doesNotContain("Remote-MTA")
                .contains("Diagnostic-Code: X-Relay; 451 4.4.1 connect to mx.a.test[" + DEAD + "]");

        // later attempts, still deferred: no second warning
        world.clock.advance(RETRY);
        world.runOnce();
        world.clock.advance(RETRY);
        world.runOnce();
        assertThat(delayCalls).containsExactly(id);
        // (the warning itself was tried meanwhile: origin.test does not exist, and a DSN's bounce is dropped)
        assertThat(dsns).extracting(dsn -> dsn.join().kind()).containsOnlyOnce(DsnKind.DELAY);
    }

    @Test
    void theWarningIsNotRepeatedAfterARestart() throws Exception {
        start(TestMx.builder(), Optional.of(WARN_AFTER));
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", DEAD);
        QueueId id = submit(SENDER, RecipientAddress.of("alice@a.test"));
        world.runOnce();
        world.clock.advance(WARN_AFTER);
        world.runOnce();
        assertThat(delayCalls).containsExactly(id);
        queued(dsns.getFirst());

        restart(Optional.of(WARN_AFTER));
        world.clock.advance(RETRY);
        world.runOnce();

        assertThat(queue.find(id).orElseThrow().delayWarned()).isTrue();
        assertThat(queue.find(id).orElseThrow().attempts()).isEqualTo(3);
        assertThat(delayCalls).containsExactly(id);
    }

    @Test
    void aZeroThresholdWarnsAtTheFirstDeferral() throws Exception {
        start(TestMx.builder(), Optional.of(Duration.ZERO));
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", DEAD);
        QueueId id = submit(SENDER, RecipientAddress.of("alice@a.test"));

        world.runOnce();

        assertThat(delayCalls).containsExactly(id);
        assertThat(queued(dsns.getFirst()).kind()).isEqualTo(DsnKind.DELAY);
    }

    @Test
    void theNullSenderIsNeverWarned() throws Exception {
        start(TestMx.builder(), Optional.of(WARN_AFTER));
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", DEAD);
        QueueId id = submit("", RecipientAddress.of("alice@a.test"));
        world.runOnce();
        world.clock.advance(WARN_AFTER);

        world.runOnce();

        assertThat(delayCalls).isEmpty();
        assertThat(dsns).isEmpty();
        assertThat(queue.find(id).orElseThrow().delayWarned()).as("nothing to remember").isFalse();
    }

    @Test
    void recipientsThatAskedForFailuresOnlyGetNoWarningAtAll() throws Exception {
        start(TestMx.builder(), Optional.of(WARN_AFTER));
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", DEAD);
        QueueId id = submit(SENDER, new RecipientAddress("bob@a.test", Set.of(DsnNotify.FAILURE), Optional.empty()));
        world.runOnce();
        world.clock.advance(WARN_AFTER);

        world.runOnce();

        assertThat(delayCalls).containsExactly(id);
        assertThat(dsns.getFirst()).succeedsWithin(ClientFixture.WAIT)
                .isEqualTo(new DsnOutcome.Suppressed(id, DsnKind.DELAY, DsnOutcome.Why.NOT_REQUESTED));
        assertThat(queue.list()).extracting(m -> m.envelope().sender()).containsExactly(SENDER); // no DSN queued
    }

    @Test
    void onlyDeferredRecipientsAreWarnedAbout() throws Exception {
        start(TestMx.builder().reply(TestMx.Verb.RCPT, "later@", "452 4.2.2 mailbox full"), Optional.of(Duration.ZERO));
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", "127.0.0.1");

        QueueId id = submit(SENDER, RecipientAddress.of("now@a.test"), RecipientAddress.of("later@a.test"));
        world.runOnce();

        assertThat(delayCalls).containsExactly(id);
        DsnOutcome.Queued warning = queued(dsns.getFirst());
        assertThat(warning.recipients()).containsExactly(1);
        String text = unfolded(dsnText(warning));
        assertThat(text).doesNotContain("now@a.test")
                .contains("Remote-MTA: dns; mx.a.test")
                .contains("Diagnostic-Code: smtp; 452 4.2.2 mailbox full")
                .contains("The last reply, from mx.a.test, was: 452 4.2.2 mailbox full");
    }

    @Test
    void withoutAThresholdNobodyIsWarned() throws Exception {
        start(TestMx.builder(), Optional.empty());
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", DEAD);
        QueueId id = submit(SENDER, RecipientAddress.of("alice@a.test"));
        world.runOnce();
        world.clock.advance(LIFETIME.minus(RETRY));

        world.runOnce();

        assertThat(delayCalls).isEmpty();
        assertThat(queue.find(id).orElseThrow().delayWarned()).isFalse();
    }

    // ---------------------------------------------------------------- whose verdict a bounce reports

    @Test
    void aBounceForTheServersRefusalNamesItAsRemoteMta() throws Exception {
        String text = bounceAfterOnePass(TestMx.builder().extensions("PIPELINING")
                .reply(TestMx.Verb.RCPT, "bad@", "550 5.1.1 no such user"), "bad@a.test");
        assertThat(text)
                .contains("Subject: Undelivered Mail Returned to Sender")
                .contains("Final-Recipient: rfc822; bad@a.test")
                .contains("Status: 5.1.1")
                .contains("Remote-MTA: dns; mx.a.test")
                .contains("Diagnostic-Code: smtp; 550 5.1.1 no such user")
                .contains("The recipient's mail server (mx.a.test) says this address does not exist.")
                .contains("The last reply, from mx.a.test, was: 550 5.1.1 no such user");
    }

    @Test
    void aBounceForTheSizeLimitTheRelayCheckedNamesNoRemoteMtaAndSaysSo() throws Exception {
        String text = bounceAfterOnePass(TestMx.builder().extensions("PIPELINING", "SIZE 20"), "bob@a.test");
        assertThat(text)
                .contains("Status: 5.3.4")
                .doesNotContain("Remote-MTA")
                .contains("Diagnostic-Code: X-Relay; 552 5.3.4 message size")
                .contains("The message is larger than the recipient's mail server accepts. The relay found this"
                        + " itself; it is not a reply from the recipient's mail server. The error was: 552 5.3.4");
        assertThat(mx.commands("MAIL")).as("nothing was sent").isEmpty();
    }

    @Test
    void aBounceForANonexistentDomainNamesNoRemoteMta() throws Exception {
        String text = bounceAfterOnePass(TestMx.builder(), "bob@nowhere.test");
        assertThat(text).contains("Status: 5.1.2").doesNotContain("Remote-MTA")
                .contains("Diagnostic-Code: X-Relay; 550 5.1.2 domain <nowhere.test> does not exist");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The bounce's text (unfolded) after one pass, without delay warnings, over a new message from
     * SENDER to {@code recipient}; a.test's MX, mx.a.test, is at 127.0.0.1, played by {@code server}.
     */
    private String bounceAfterOnePass(TestMx.Builder server, String recipient) throws Exception {
        start(server, Optional.empty());
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", "127.0.0.1");
        submit(SENDER, RecipientAddress.of(recipient));
        world.runOnce();
        return unfolded(dsnText(queued(dsns.getFirst())));
    }

    private static DsnOutcome.Queued queued(CompletableFuture<DsnOutcome> outcome) {
        DsnOutcome done = Await.result(outcome);
        assertThat(done).isInstanceOf(DsnOutcome.Queued.class);
        return (DsnOutcome.Queued) done;
    }

    private String dsnText(DsnOutcome.Queued dsn) throws Exception {
        try (InputStream in = queue.openBody(dsn.id())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Header folding and the explanation's line wrapping undone (all white space made one space), to quote sentences. */
    private static String unfolded(String text) {
        return text.replaceAll("\\s+", " ");
    }

    private static String rfc5322(Instant at) {
        return DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT).format(at.atZone(ZoneOffset.UTC));
    }

    private QueueId submit(String sender, RecipientAddress... recipients) throws Exception {
        return world.submit(sender, "Subject: test\r\nFrom: <sender@origin.test>\r\n\r\nHello, this body is longer than twenty.\r\n",
                List.of(recipients));
    }
}
