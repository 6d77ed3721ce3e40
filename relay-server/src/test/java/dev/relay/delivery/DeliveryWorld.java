package dev.relay.delivery;

import dev.relay.delivery.testkit.TestMessages;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.DnssecMode;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.MutableClock;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RetrySchedule;
import dev.relay.queue.spool.MemorySpoolStore;
import dev.relay.smtp.client.ClientFixture;
import dev.relay.smtp.client.ClientTimeouts;
import dev.relay.smtp.client.ConnectionPool;
import dev.relay.smtp.client.SmtpClient;
import dev.relay.tls.ClientTlsContext;
import dev.relay.tls.testkit.TestCertificates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The delivery stack as the relay wires it, on loopback: a spool queue kept in memory, a DNS
 * server, an SMTP client and connection pool, and a scheduler that dials the test MX. Time is a
 * {@link MutableClock}: retries and expiry move it, nothing sleeps. Each test customises the
 * scheduler (events, bounces, policies, caps) and runs it one pass at a time.
 */
final class DeliveryWorld implements AutoCloseable {
    final MutableClock clock;
    final TestDnsServer dns = TestDnsServer.start();
    /** The spool's contents, kept over a {@link #restart}. */
    private final MemorySpoolStore.Contents spool = new MemorySpoolStore.Contents();
    private final QueueSettings settings;
    private final SmtpClient client;
    private final int connections;
    private MessageQueue queue;
    private ConnectionPool pool;
    private DeliveryScheduler scheduler;
    private Optional<TestMx> mx = Optional.empty();

    private DeliveryWorld(MutableClock clock, Duration retry, Duration lifetime, SmtpClient client, int connections) {
        this.clock = clock;
        this.settings = new QueueSettings(new RetrySchedule(List.of(retry), lifetime), 0, 0);
        this.client = client;
        this.connections = connections;
        this.queue = openQueue();
    }

    /** A world whose client trusts the test CA, with room for 20 connections. */
    static DeliveryWorld start(Instant start, Duration retry, Duration lifetime) {
        return new DeliveryWorld(new MutableClock(start), retry, lifetime, ClientFixture.client(), 20);
    }

    /** A world on this clock with this client (e.g. one whose certificate checks follow the clock); it closes the client. */
    static DeliveryWorld start(MutableClock clock, Duration retry, Duration lifetime, SmtpClient client, int connections) {
        return new DeliveryWorld(clock, retry, lifetime, client, connections);
    }

    /**
     * A world whose client trusts only {@code tls} (e.g. {@link #trustOnly}), with room for 5
     * connections; it closes the client.
     */
    static DeliveryWorld start(MutableClock clock, Duration retry, Duration lifetime, ClientTlsContext tls) {
        SmtpClient client = SmtpClient.builder(tls).heloName("relay.test").timeouts(ClientTimeouts.uniform(ClientFixture.WAIT))
                .ioThreads(1).build();
        return new DeliveryWorld(clock, retry, lifetime, client, 5);
    }

    /** Trust in {@code ca} alone, its certificate checks following {@code clock}, as the expiry scenarios need. */
    static ClientTlsContext trustOnly(TestCertificates.Authority ca, MutableClock clock) {
        return ClientTlsContext.builder().systemRoots(false).extraTrust(List.of(ca.certificate())).clock(clock).build();
    }

    /** A clock at the current second, for tests that need no fixed date. */
    static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private MessageQueue openQueue() {
        return MemorySpoolStore.queue(spool, settings, clock, QueueEvents.NONE);
    }

    /** Starts this MX; the scheduler dials its port. */
    TestMx mx(TestMx.Builder builder) {
        TestMx started = builder.start();
        mx = Optional.of(started);
        return started;
    }

    TestMx mx() {
        return mx.orElseThrow();
    }

    MessageQueue queue() {
        return queue;
    }

    DeliveryScheduler scheduler() {
        return scheduler;
    }

    /**
     * A resolver that asks only the test DNS server, once, with no cache, and without DNSSEC: the
     * server holds unsigned zones and no root, so validation from the root's anchors could prove
     * nothing (every answer bogus). DANE scenarios build theirs with a test trust anchor.
     */
    DnsResolver resolver() {
        return dns.resolverBuilder().timeout(Duration.ofSeconds(2)).cacheSize(0).clock(clock).dnssec(DnssecMode.OFF).build();
    }

    /** A scheduler as the relay builds it, to the MX's port, with the test's additions. */
    DeliveryScheduler startScheduler(UnaryOperator<DeliveryScheduler.Builder> customise) {
        return startScheduler(resolver(), customise);
    }

    DeliveryScheduler startScheduler(DnsResolver resolver, UnaryOperator<DeliveryScheduler.Builder> customise) {
        stopScheduler();
        pool = new ConnectionPool(client, new ConnectionPool.Settings(connections, 100, Duration.ofSeconds(5)));
        scheduler = customise.apply(DeliveryScheduler.builder(queue, resolver, pool).clock(clock).port(mx().port()))
                .build();
        return scheduler;
    }

    /** As after a restart of the relay: the scheduler stops, the queue is opened again over the same spool. */
    void restart(UnaryOperator<DeliveryScheduler.Builder> customise) throws Exception {
        stopScheduler();
        queue.close();
        queue = openQueue();
        startScheduler(customise);
    }

    void stopScheduler() {
        if (scheduler != null) {
            scheduler.close();
            pool.close();
            scheduler = null;
        }
    }

    /** One pass of the scheduler over what is due now; waits for its deliveries to finish. */
    void runOnce() throws Exception {
        // a scenario may dial twice in a pass (a connection closes after its transaction)
        scheduler.runOnce(clock.instant()).get(ClientFixture.WAIT.toMillis() * 3, TimeUnit.MILLISECONDS);
    }

    /** Commits a small message from sender@origin.test that arrived now. */
    QueueId submit(String... recipients) throws Exception {
        return TestMessages.queue(queue, clock.instant(), recipients);
    }

    /** Commits a message with this sender and content that arrived now. */
    QueueId submit(String sender, String content, List<RecipientAddress> recipients) throws Exception {
        return TestMessages.queue(queue, clock.instant(), sender, content, recipients);
    }

    @Override
    public void close() throws Exception {
        stopScheduler();
        client.close();
        queue.close();
        if (mx.isPresent()) {
            mx.get().close();
        }
        dns.close();
    }
}
