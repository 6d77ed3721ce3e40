package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.auth.Authenticator;
import dev.relay.settings.HostPort;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Everything a listener test varies, with defaults: a port-25 style listener on 127.0.0.1:0,
 * relay allowed from 127.0.0.0/8 and 192.0.2.0/24, user alice/secret, a fixed clock.
 * Builds either an EmbeddedChannel session ({@link #harness()}) or a real server ({@link #server()}).
 */
final class SmtpFixture {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    /** The client of {@link #harness()}: 192.0.2.10, inside the default relay networks. */
    private static final InetSocketAddress INSIDE_RELAY_NETWORKS = new InetSocketAddress("192.0.2.10", 40000);

    String hostname = "relay.test";
    int port;
    Mode starttls = Mode.OPTIONAL;
    boolean implicitTls;
    Mode auth = Mode.OPTIONAL;
    long maxMessageSize = 1 << 20;
    int maxRecipients = 100;
    int maxConnections;
    int maxConnectionsPerClient;
    boolean exemptRelayNetworks = true;
    Duration commandTimeout = Duration.ofSeconds(30);
    Duration dataTimeout = Duration.ofSeconds(30);
    boolean perRecordDeadline = true;
    long minDataRate = 500;
    int maxErrors = 50;
    int maxReceivedHeaders = 50;
    boolean addressLiteralRecipients;
    boolean requireTls = true;
    List<String> relayNetworks = List.of("127.0.0.0/8", "192.0.2.0/24");
    CapturingQueue queue = new CapturingQueue();
    Authenticator authenticator = (user, password) ->
            "alice".equals(user) && Arrays.equals(password, "secret".toCharArray()) ? Optional.of("alice") : Optional.empty();
    Optional<SslContext> tls = Optional.empty();
    ConnectionLimiter limiter;
    RecordingSmtpEvents events = new RecordingSmtpEvents();
    /** Listens beside {@link #events}, e.g. the metrics; none by default. */
    SmtpEvents alsoTell = SmtpEvents.NONE;
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    static SmtpFixture defaults() {
        return new SmtpFixture();
    }

    /** Port 587 style: STARTTLS and AUTH required. */
    static SmtpFixture submission() {
        SmtpFixture fixture = new SmtpFixture();
        fixture.starttls = Mode.REQUIRED;
        fixture.auth = Mode.REQUIRED;
        fixture.tls = Optional.of(TestTls.serverContext());
        fixture.relayNetworks = List.of();
        return fixture;
    }

    SmtpFixture withTls() {
        tls = Optional.of(TestTls.serverContext());
        return this;
    }

    SmtpFixture noRelayNetworks() {
        relayNetworks = List.of("10.99.0.0/16");
        return this;
    }

    SmtpFixture starttls(Mode mode) {
        starttls = mode;
        return this;
    }

    SmtpFixture auth(Mode mode) {
        auth = mode;
        return this;
    }

    SmtpFixture implicitTls() {
        implicitTls = true;
        return this;
    }

    SmtpFixture maxMessageSize(long bytes) {
        maxMessageSize = bytes;
        return this;
    }

    SmtpFixture maxRecipients(int count) {
        maxRecipients = count;
        return this;
    }

    SmtpFixture maxErrors(int count) {
        maxErrors = count;
        return this;
    }

    SmtpFixture connections(int total, int perClient) {
        maxConnections = total;
        maxConnectionsPerClient = perClient;
        return this;
    }

    SmtpFixture timeouts(Duration command, Duration data) {
        commandTimeout = command;
        dataTimeout = data;
        return this;
    }

    /** Timeouts restarted by every byte, as before deadlines existed. */
    SmtpFixture idleTimeouts() {
        perRecordDeadline = false;
        return this;
    }

    SmtpFixture minDataRate(long bytesPerSecond) {
        minDataRate = bytesPerSecond;
        return this;
    }

    SmtpFixture exemptRelayNetworks(boolean exempt) {
        exemptRelayNetworks = exempt;
        return this;
    }

    SmtpFixture maxReceivedHeaders(int count) {
        maxReceivedHeaders = count;
        return this;
    }

    SmtpFixture addressLiteralRecipients(boolean allowed) {
        addressLiteralRecipients = allowed;
        return this;
    }

    /** {@code delivery.requiretls}; on by default. */
    SmtpFixture requireTls(boolean offered) {
        requireTls = offered;
        return this;
    }

    /** How the queue answers commits: {@link CapturingQueue#commitMode}. */
    SmtpFixture commits(CapturingQueue.CommitMode mode) {
        queue.commitMode(mode);
        return this;
    }

    SmtpFixture port(int number) {
        port = number;
        return this;
    }

    SmtpFixture alsoTell(SmtpEvents listener) {
        alsoTell = listener;
        return this;
    }

    /** What the session is given: {@link #events}, then {@link #alsoTell}. */
    SmtpEvents sessionEvents() {
        return SmtpEvents.both(events, alsoTell);
    }

    SmtpFixture limiter(ConnectionLimiter shared) {
        limiter = shared;
        return this;
    }

    ListenerConfig listener() {
        return new ListenerConfig(new HostPort("127.0.0.1", port), starttls, implicitTls, auth);
    }

    SmtpSettings settings() {
        Limits limits = new Limits(maxMessageSize, maxRecipients, maxConnections, maxConnectionsPerClient,
                exemptRelayNetworks, commandTimeout, dataTimeout, perRecordDeadline, minDataRate, maxErrors,
                maxReceivedHeaders, addressLiteralRecipients);
        return new SmtpSettings(hostname, listener(), limits, RelayNetworks.parse(relayNetworks), requireTls);
    }

    ConnectionLimiter limiter() {
        if (limiter == null) {
            limiter = new ConnectionLimiter(maxConnections, maxConnectionsPerClient);
        }
        return limiter;
    }

    SessionServices services(Executor blocking) {
        SessionServices services = new SessionServices(settings(), queue, authenticator, blocking, tls, limiter(),
                sessionEvents(), clock, new java.util.concurrent.atomic.AtomicBoolean());
        services.policy().validate();
        return services;
    }

    /** A session on an EmbeddedChannel from 192.0.2.10 (inside the default relay networks). */
    SessionHarness harness() {
        return harness(INSIDE_RELAY_NETWORKS);
    }

    SessionHarness harness(InetSocketAddress client) {
        return new SessionHarness(services(Runnable::run), client);
    }

    /** {@link #harness()} with the greeting and EHLO done: where most session tests begin. */
    SessionHarness greeted() {
        return greeted(INSIDE_RELAY_NETWORKS);
    }

    SessionHarness greeted(InetSocketAddress client) {
        SessionHarness session = harness(client);
        session.ehlo();
        return session;
    }

    /**
     * A {@link #greeted()} session sent {@code sends} in turn, whose last reply says the message was
     * queued; drains the session and returns that message.
     */
    CapturingQueue.Accepted queuedAfter(String... sends) {
        SessionHarness session = greeted();
        for (String text : sends) {
            session.send(text);
        }
        assertThat(session.replies()).last().asString().startsWith("250 2.0.0 Ok: queued");
        session.assertDrained();
        return queue.only();
    }

    TestServer server() throws Exception {
        return new TestServer(this);
    }
}
