package dev.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.delivery.testkit.ReceivedMessage;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.DnssecMode;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientStatus;
import dev.relay.smtp.client.ClientFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler against a real DNS server and real SMTP servers on loopback, driven by runOnce with a fixed clock. */
class DeliverySchedulerTest {

    private static final Duration RETRY = Duration.ofMinutes(10);
    private static final Duration LIFETIME = Duration.ofHours(1);
    /** Nothing listens here on TestMx's port (it binds 127.0.0.1 only): connection refused. */
    private static final String DEAD = "127.0.0.2";

    private final List<Bounce> bounces = new CopyOnWriteArrayList<>();
    private DeliveryWorld world;
    private TestMx mx;
    private MessageQueue queue;
    private DeliveryScheduler scheduler;

    private record Bounce(QueuedMessage after, List<Integer> failed, boolean originalAvailable) {}

    @BeforeEach
    void setUp() {
        world = DeliveryWorld.start(DeliveryWorld.now(), RETRY, LIFETIME);
        mx = world.mx(TestMx.builder().starttls(ClientFixture.CA.issue("mx.a.test", "mx.b.test", "mx2.a.test"))
                .extensions("PIPELINING", "8BITMIME")
                .reply(TestMx.Verb.RCPT, "bad@", "550 5.1.1 no such user")
                .reply(TestMx.Verb.RCPT, "later@", "451 4.2.0 mailbox busy"));
        queue = world.queue();
        startScheduler(5);
    }

    private void startScheduler(int perDomain) {
        scheduler = world.startScheduler(builder -> builder.maxConnectionsPerDomain(perDomain)
                .bounces((after, failed, original) -> {
                    original.ifPresent(BounceHandler::closeQuietly);
                    bounces.add(new Bounce(after, failed, original.isPresent()));
                }));
    }

    @AfterEach
    void tearDown() throws Exception {
        world.close();
    }

    @Test
    void deliversAMessageForTwoDomainsToEachDomainsMx() throws Exception {
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", "127.0.0.1");
        world.dns.mx("b.test", 10, "mx.b.test").a("mx.b.test", "127.0.0.1");
        QueueId id = world.submit("alice@a.test", "bob@b.test", "carol@a.test");

        world.runOnce();

        List<ReceivedMessage> received = mx.awaitMessages(2, ClientFixture.WAIT);
        assertThat(received).extracting(ReceivedMessage::recipients)
                .containsExactlyInAnyOrder(List.of("alice@a.test", "carol@a.test"), List.of("bob@b.test"));
        assertThat(received).extracting(m -> m.sni().orElse("")).containsExactlyInAnyOrder("mx.a.test", "mx.b.test");
        assertThat(received).allSatisfy(m -> {
            assertThat(m.tls()).isTrue();
            assertThat(m.sender()).isEqualTo("sender@origin.test");
            assertThat(m.bodyText()).contains("Subject: test").endsWith("Hello.\r\n");
        });
        assertThat(queue.find(id)).isEmpty(); // all delivered: it left the queue
        assertThat(bounces).isEmpty();
    }

    @Test
    void firstMxRefusesConnectionsSoTheSecondGetsTheMail() throws Exception {
        world.dns.mx("a.test", 10, "mx1.a.test").a("mx1.a.test", DEAD)
                .mx("a.test", 20, "mx2.a.test").a("mx2.a.test", "127.0.0.1");
        QueueId id = world.submit("alice@a.test");

        world.runOnce();

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().sni()).contains("mx2.a.test");
        assertThat(queue.find(id)).isEmpty();
    }

    @Test
    void allMxDownDefersWithTheLastReasonThenDeliversOnceDueAndUp() throws Exception {
        world.dns.mx("a.test", 10, "mx1.a.test").a("mx1.a.test", DEAD)
                .mx("a.test", 20, "mx2.a.test").a("mx2.a.test", DEAD);
        QueueId id = world.submit("alice@a.test");
        Instant firstAttempt = world.clock.instant();

        world.runOnce();

        RecipientStatus status = queue.find(id).orElseThrow().statuses().getFirst();
        assertThat(status).isInstanceOf(RecipientStatus.Deferred.class);
        RecipientStatus.Deferred deferred = (RecipientStatus.Deferred) status;
        assertThat(deferred.reason()).startsWith("451 4.4.1 connect to mx2.a.test[" + DEAD + "]");
        assertThat(deferred.nextAttempt()).isEqualTo(firstAttempt.plus(RETRY));
        assertThat(queue.nextDue()).contains(firstAttempt.plus(RETRY));

        // not yet due: nothing is taken
        world.clock.advance(RETRY.minusSeconds(1));
        world.runOnce();
        assertThat(mx.connectionCount()).isZero();

        world.dns.remove("mx2.a.test").a("mx2.a.test", "127.0.0.1");
        world.clock.advance(Duration.ofSeconds(1));
        world.runOnce();

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().recipients()).containsExactly("alice@a.test");
        assertThat(queue.find(id)).isEmpty();
    }

    @Test
    void nullMxFailsAtOnceAndBounces() throws Exception {
        world.dns.nullMx("null.test");
        QueueId id = world.submit("alice@null.test", "bob@a.test");
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", "127.0.0.1");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        ch.qos.logback.classic.Logger attemptLog = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger("dev.relay.delivery.attempts");
        attemptLog.addAppender(log);
        try {
            world.runOnce();
        } finally {
            attemptLog.detachAppender(log);
        }

        // the message's last line, by its queue id, says what became of each recipient
        assertThat(log.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                .contains(id.value() + ": removed (1 delivered, 1 bounced)");

        assertThat(bounces).hasSize(1);
        Bounce bounce = bounces.getFirst();
        assertThat(bounce.originalAvailable()).as("the body is opened before recording, for the DSN").isTrue();
        assertThat(bounce.failed()).containsExactly(0);
        assertThat(bounce.after().id()).isEqualTo(id);
        assertThat(failedReason(bounce.after(), 0))
                .isEqualTo("556 5.1.10 domain <null.test> does not accept mail (null MX)");
        assertThat(bounce.after().statuses().get(1)).isInstanceOf(RecipientStatus.Delivered.class);
        assertThat(mx.messages()).extracting(ReceivedMessage::recipients).containsExactly(List.of("bob@a.test"));
    }

    @Test
    void nonexistentDomainFailsWith512() throws Exception {
        QueueId id = world.submit("alice@nowhere.test");

        world.runOnce();

        assertThat(bounces).hasSize(1);
        assertThat(failedReason(bounces.getFirst().after(), 0)).isEqualTo("550 5.1.2 domain <nowhere.test> does not exist");
        assertThat(queue.find(id)).isEmpty();
    }

    @Test
    void servfailDefersWith443() throws Exception {
        world.dns.servfail("broken.test");
        QueueId id = world.submit("alice@broken.test");

        world.runOnce();

        RecipientStatus status = queue.find(id).orElseThrow().statuses().getFirst();
        assertThat(status).isInstanceOfSatisfying(RecipientStatus.Deferred.class, d -> {
            assertThat(d.reason()).startsWith("451 4.4.3 DNS lookup for <broken.test> failed: ");
            assertThat(d.nextAttempt()).isEqualTo(world.clock.instant().plus(RETRY));
        });
        assertThat(bounces).isEmpty();
    }

    @Test
    void domainWithoutMxIsItsOwnMx() throws Exception {
        world.dns.a("implicit.test", "127.0.0.1");
        QueueId id = world.submit("alice@implicit.test");

        world.runOnce();

        ReceivedMessage received = mx.awaitMessages(1, ClientFixture.WAIT).getFirst();
        assertThat(received.recipients()).containsExactly("alice@implicit.test");
        assertThat(received.sni()).contains("implicit.test");
        assertThat(queue.find(id)).isEmpty();
    }

    @Test
    void addressLiteralDomainGoesToThatAddress() throws Exception {
        QueueId id = world.submit("alice@[127.0.0.1]");

        world.runOnce();

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().recipients()).containsExactly("alice@[127.0.0.1]");
        assertThat(queue.find(id)).isEmpty();
        assertThat(world.dns.queryCount()).isZero();
    }

    @Test
    void eachRecipientGetsItsOwnVerdictInOneTransaction() throws Exception {
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", "127.0.0.1");
        QueueId id = world.submit("good@a.test", "bad@a.test", "later@a.test");

        world.runOnce();

        QueuedMessage after = queue.find(id).orElseThrow();
        assertThat(after.statuses().get(0)).isInstanceOf(RecipientStatus.Delivered.class);
        assertThat(failedReason(after, 1)).isEqualTo("550 5.1.1 no such user");
        assertThat(after.statuses().get(2)).isInstanceOfSatisfying(RecipientStatus.Deferred.class,
                d -> assertThat(d.reason()).isEqualTo("451 4.2.0 mailbox busy"));
        assertThat(bounces).singleElement().satisfies(b -> assertThat(b.failed()).containsExactly(1));
        assertThat(mx.messages()).singleElement()
                .satisfies(m -> assertThat(m.recipients()).containsExactly("good@a.test"));

        // the retry goes to the deferred recipient only
        world.clock.advance(RETRY);
        world.runOnce();
        assertThat(mx.commands("RCPT")).hasSize(4);
        assertThat(mx.commands("RCPT").getLast().line()).contains("later@a.test");
    }

    @Test
    void failsAsExpiredOnceTheLifetimeIsOver() throws Exception {
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", DEAD);
        QueueId id = world.submit("alice@a.test");
        world.runOnce();
        assertThat(queue.find(id).orElseThrow().statuses().getFirst()).isInstanceOf(RecipientStatus.Deferred.class);

        world.clock.advance(LIFETIME);
        world.runOnce();

        assertThat(queue.find(id)).isEmpty();
        assertThat(bounces).singleElement().satisfies(b -> {
            assertThat(b.originalAvailable()).as("expired and gone from the spool, yet the DSN can quote it").isTrue();
            assertThat(b.failed()).containsExactly(0);
            assertThat(failedReason(b.after(), 0)).startsWith("delivery time expired")
                    .contains("451 4.4.1 connect to mx.a.test[" + DEAD + "]");
        });
    }

    @Test
    void perDomainCapKeepsDeliveriesToOneDomainSequential() throws Exception {
        startScheduler(1);
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", "127.0.0.1");
        world.submit("one@a.test");
        world.submit("two@a.test");
        world.submit("three@a.test");

        world.runOnce();

        assertThat(mx.awaitMessages(3, ClientFixture.WAIT)).hasSize(3);
        // the pool would open up to 20 connections at once; the domain cap lets only one delivery run,
        // so every message rides the one connection
        assertThat(mx.connectionCount()).isEqualTo(1);
        assertThat(queue.list()).isEmpty();
    }

    @Test
    void closeGivesBackWhatIsInFlight() throws Exception {
        world.dns.drop("slow.test");
        QueueId id = world.submit("alice@slow.test");

        var running = scheduler.runOnce(world.clock.instant());
        assertThat(scheduler.inFlight()).isEqualTo(1);
        assertThat(queue.takeDue(world.clock.instant(), 10)).isEmpty(); // leased
        scheduler.close(Duration.ZERO);

        running.get(ClientFixture.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(queue.find(id).orElseThrow().statuses().getFirst()).isInstanceOf(RecipientStatus.Pending.class);
        assertThat(queue.takeDue(world.clock.instant(), 10)).extracting(QueuedMessage::id).containsExactly(id);
    }

    @Test
    void theLoopRestsWhenThereIsNothingToDo() throws Exception {
        scheduler.start();
        await().atMost(ClientFixture.WAIT).pollInterval(Duration.ofMillis(5)).until(() -> scheduler.passes() > 0);
        long first = scheduler.passes();

        // kept as a sleep: the test is that nothing happens in this time; a loop that spun would
        // make hundreds of thousands of passes meanwhile
        Thread.sleep(300);

        assertThat(first).isPositive();
        assertThat(scheduler.passes() - first).isLessThanOrEqualTo(1);
    }

    @Test
    void theRunningLoopDeliversABacklogLargerThanItsInFlightCap() throws Exception {
        scheduler = world.startScheduler(builder -> builder.maxInFlight(3).batchSize(2));
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", "127.0.0.1");
        for (int i = 0; i < 11; i++) {
            world.submit("rcpt" + i + "@a.test");
        }

        scheduler.start();

        assertThat(mx.awaitMessages(11, ClientFixture.WAIT)).hasSize(11);
        await().atMost(ClientFixture.WAIT).pollInterval(Duration.ofMillis(5))
                .untilAsserted(() -> assertThat(queue.list()).isEmpty());
        // woken per batch that fits again, not per message: fewer passes than messages
        assertThat(scheduler.passes()).isLessThan(11);
    }

    @Test
    void messagesArrivingAtTheInFlightCapWaitForRoomWithoutAPassEach() throws Exception {
        // the one delivery allowed in flight waits 5 s for an MX answer that never comes
        scheduler = world.startScheduler(
                world.dns.resolverBuilder().timeout(Duration.ofSeconds(5)).cacheSize(0).clock(world.clock)
                        .dnssec(DnssecMode.OFF).build(),
                builder -> builder.maxInFlight(1).batchSize(1));
        world.dns.drop("slow.test");
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", "127.0.0.1");
        world.submit("alice@slow.test");
        scheduler.start();
        await().atMost(ClientFixture.WAIT).pollInterval(Duration.ofMillis(5)).until(() -> scheduler.inFlight() == 1);
        long passes = scheduler.passes();

        for (int i = 0; i < 3; i++) {
            world.submit("rcpt" + i + "@a.test");
            scheduler.arrived();
        }
        // kept as a sleep: the test is that no pass runs in this time, well before the lookup gives up
        Thread.sleep(300);
        assertThat(scheduler.passes()).as("no pass for arrivals that could not be taken").isEqualTo(passes);
        assertThat(scheduler.inFlight()).isEqualTo(1);

        // the lookup gives up, the message is deferred, and the room it leaves takes the others in turn
        assertThat(mx.awaitMessages(3, ClientFixture.WAIT)).extracting(ReceivedMessage::recipients)
                .containsExactlyInAnyOrder(List.of("rcpt0@a.test"), List.of("rcpt1@a.test"), List.of("rcpt2@a.test"));
    }

    private static String failedReason(QueuedMessage message, int index) {
        assertThat(message.statuses().get(index)).isInstanceOf(RecipientStatus.Failed.class);
        return ((RecipientStatus.Failed) message.statuses().get(index)).reason();
    }

}
