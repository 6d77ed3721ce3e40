package dev.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.delivery.testkit.TestMx;
import dev.relay.metrics.RelayMetrics;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueId;
import dev.relay.smtp.client.ClientFixture;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery's metrics: attempts, final outcomes with their delay, outbound TLS sessions. Real
 * deliveries to a TLS-capable MX and a DNS server on loopback, read from the registry.
 */
class DeliveryMetricsTest {

    private static final Duration LIFETIME = Duration.ofHours(1);
    /** Nothing listens there on the MX's port: connection refused. */
    private static final String DEAD = "127.0.0.2";

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private DeliveryWorld world;
    private RelayMetrics metrics;
    private TestMx mx;
    private MessageQueue queue;

    @BeforeEach
    void setUp() {
        world = DeliveryWorld.start(DeliveryWorld.now(), Duration.ofMinutes(10), LIFETIME);
        queue = world.queue();
        metrics = RelayMetrics.on(registry, List.of(), world.clock);
        mx = world.mx(TestMx.builder().starttls(ClientFixture.CA.issue("mx.a.test"))
                .reply(TestMx.Verb.RCPT, "bad@", "550 5.1.1 no such user"));
        // one connection per domain: messages to a domain ride one connection, one after the other
        world.startScheduler(builder -> builder.maxConnectionsPerDomain(1).events(metrics.deliveryEvents()));
        world.dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", "127.0.0.1");
    }

    @AfterEach
    void tearDown() throws Exception {
        world.close();
        metrics.close();
    }

    private double attempts(String result, String tls) {
        return registry.get("relay.delivery.attempts").tags("result", result, "tls", tls, "mta_sts_mode", "none")
                .counter().count();
    }

    private double deliveries(String outcome) {
        return registry.get("relay.deliveries").tag("outcome", outcome).counter().count();
    }

    private double tlsSessions(boolean verified) {
        return registry.find("relay.tls.outbound").tag("verified", Boolean.toString(verified)).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private Timer delay() {
        return registry.get("relay.delivery.delay").timer();
    }

    @Test
    void aVerifiedDeliveryCountsItsAttemptsOutcomesDelayAndOneTlsSession() throws Exception {
        QueueId first = world.submit("one@a.test", "two@a.test");
        world.clock.advance(Duration.ofSeconds(30));
        world.submit("three@a.test");
        world.clock.advance(Duration.ofSeconds(60));

        world.runOnce();

        assertThat(mx.messages()).hasSize(2);
        assertThat(queue.find(first)).isEmpty();
        assertThat(attempts("delivered", "verified")).isEqualTo(3);
        assertThat(attempts("delivered", "tls") + attempts("delivered", "none")).isZero();
        assertThat(deliveries("delivered")).isEqualTo(3);
        assertThat(delay().count()).isEqualTo(3);
        assertThat(delay().totalTime(TimeUnit.SECONDS)).as("90 s twice and 60 s").isEqualTo(240);
        assertThat(mx.connectionCount()).isEqualTo(1);
        assertThat(tlsSessions(true)).as("two messages, one connection, one TLS session").isEqualTo(1);
        assertThat(tlsSessions(false)).isZero();
        String version = mx.tlsSessions().getFirst().protocol();
        assertThat(registry.get("relay.tls.outbound").tags("version", version, "verified", "true").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aCertificateForAnotherHostIsTlsButNotVerified() throws Exception {
        world.dns.mx("c.test", 10, "mx.c.test").a("mx.c.test", "127.0.0.1");
        world.submit("carol@c.test");

        world.runOnce();

        assertThat(mx.messages()).hasSize(1);
        assertThat(attempts("delivered", "tls")).isEqualTo(1);
        assertThat(attempts("delivered", "verified")).isZero();
        assertThat(tlsSessions(false)).isEqualTo(1);
        assertThat(tlsSessions(true)).isZero();
    }

    @Test
    void aRefusedRecipientFailsAndBounces() throws Exception {
        world.submit("good@a.test", "bad@a.test");

        world.runOnce();

        assertThat(attempts("delivered", "verified")).isEqualTo(1);
        assertThat(attempts("failed", "verified")).isEqualTo(1);
        assertThat(deliveries("delivered")).isEqualTo(1);
        assertThat(deliveries("bounced")).isEqualTo(1);
        assertThat(deliveries("expired")).isZero();
    }

    @Test
    void aDomainThatDoesNotExistFailsWithoutAConnection() throws Exception {
        world.submit("alice@nowhere.test");

        world.runOnce();

        assertThat(attempts("failed", "none")).isEqualTo(1);
        assertThat(deliveries("bounced")).isEqualTo(1);
        assertThat(tlsSessions(true) + tlsSessions(false)).isZero();
    }

    @Test
    void anUnreachableMxDefersUntilTheLifetimeEndsThenExpires() throws Exception {
        world.dns.mx("down.test", 10, "mx.down.test").a("mx.down.test", DEAD);
        world.submit("alice@down.test");

        world.runOnce();
        assertThat(attempts("deferred", "none")).isEqualTo(1);
        assertThat(deliveries("expired") + deliveries("bounced") + deliveries("delivered")).isZero();
        assertThat(delay().count()).isZero();

        world.clock.advance(LIFETIME);
        world.runOnce();

        assertThat(attempts("deferred", "none")).as("the last attempt was a temporary failure too").isEqualTo(2);
        assertThat(deliveries("expired")).isEqualTo(1);
        assertThat(deliveries("bounced")).isZero();
        assertThat(delay().totalTime(TimeUnit.SECONDS)).isEqualTo(LIFETIME.toSeconds());
    }

}
