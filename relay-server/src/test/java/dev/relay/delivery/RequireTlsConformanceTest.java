package dev.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.dane.Tlsa;
import dev.relay.dane.TlsaRecord;
import dev.relay.delivery.testkit.ReceivedMessage;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.testkit.SignedZone;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.dsn.BounceQueuer;
import dev.relay.dsn.DsnKind;
import dev.relay.dsn.DsnOutcome;
import dev.relay.dsn.DsnSettings;
import dev.relay.mtasts.DomainPolicies;
import dev.relay.mtasts.MtaStsEvents;
import dev.relay.mtasts.MtaStsPolicies;
import dev.relay.outcome.Cause;
import dev.relay.outcome.EnhancedStatus;
import dev.relay.queue.DsnReturn;
import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.MutableClock;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RecipientStatus;
import dev.relay.smtp.client.ClientFixture;
import dev.relay.testkit.Await;
import dev.relay.tls.testkit.TestCertificates;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8689 end to end through the real delivery path, as {@link MtaStsConformanceTest} runs
 * MTA-STS: a loopback DNS server, the MTA-STS service with a loopback policy server, the
 * scheduler, the connection pool and the SMTP client, delivering to a loopback MX, with the
 * real {@link BounceQueuer} writing the bounces into the same queue. REQUIRETLS mail goes only
 * over an authenticated route to a next hop that announces REQUIRETLS, else fails with 5.7.30;
 * {@code TLS-Required: No} mail goes as without the domain's policy, unless the operator says no.
 */
class RequireTlsConformanceTest {

    private static final String DOMAIN = "dest.test";
    private static final String SENDER = "alice@origin.test";
    private static final Duration RETRY = Duration.ofMinutes(5);
    private static final Duration LIFETIME = Duration.ofDays(5);
    private static final TestCertificates.Authority CA = ClientFixture.CA;
    private static final String BODY = "Subject: secret\r\nFrom: <alice@origin.test>\r\n\r\nThe body stays private.\r\n";

    @TempDir
    Path cacheDir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final RecordingDeliveryEvents events = new RecordingDeliveryEvents();
    private final List<CompletableFuture<DsnOutcome>> dsns = new CopyOnWriteArrayList<>();
    private MtaStsWorld sts;
    private DeliveryWorld world;
    private TestDnsServer dns;
    private TestMx mx;
    private MessageQueue queue;
    private ExecutorService dsnWorker;
    private String anchor = "";

    @BeforeEach
    void setUp() {
        sts = MtaStsWorld.start(clock, CA, RETRY, LIFETIME);
        world = sts.delivery;
        dns = sts.dns();
        queue = world.queue();
        dsnWorker = Executors.newSingleThreadExecutor();
        dns.a("mta-sts." + DOMAIN, "127.0.0.1");
    }

    @AfterEach
    void tearDown() throws Exception {
        sts.close();
        dsnWorker.shutdown();
    }

    // ---- REQUIRETLS ------------------------------------------------------------------------

    @Test
    void requireTlsGoesOverAnAuthenticatedRouteToANextHopThatAnnouncesItAndPassesItOn() throws Exception {
        mx = enforcedMx(TestMx.builder().starttls(CA.issue("mx.dest.test")).extensions("PIPELINING", "REQUIRETLS"));
        startRelay(true);

        QueueId id = sendOnce(requireTls(MailParameters.NONE), false);

        ReceivedMessage received = mx.awaitMessages(1, ClientFixture.WAIT).getFirst();
        assertThat(received.tls()).isTrue();
        assertThat(received.sni()).contains("mx.dest.test");
        assertThat(received.mailParameters()).as("REQUIRETLS travels on").contains("REQUIRETLS");
        assertThat(queue.find(id)).as("delivered, so it left the queue").isEmpty();
        assertThat(events.requireTls).containsExactly(DeliveryEvents.RequireTls.DELIVERED);
        assertThat(dsns).isEmpty();
    }

    @Test
    void aMessageWithoutRequireTlsDoesNotPassTheParameter() throws Exception {
        mx = enforcedMx(TestMx.builder().starttls(CA.issue("mx.dest.test")).extensions("REQUIRETLS"));
        startRelay(true);

        sendOnce(MailParameters.NONE, false);

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().mailParameters()).doesNotContain("REQUIRETLS");
        assertThat(events.requireTls).isEmpty();
    }

    @Test
    void aNextHopThatDoesNotAnnounceRequireTlsGetsNothingAndTheSenderABounceSentWithRequireTls() throws Exception {
        mx = enforcedMx(TestMx.builder().starttls(CA.issue("mx.dest.test")).extensions("PIPELINING", "DSN"));
        startRelay(true);

        // RET=FULL asks for the whole message back; RFC 8689 section 5 says headers only
        QueueId id = sendOnce(requireTls(new MailParameters(OptionalLong.empty(), dev.relay.queue.BodyType.SEVEN_BIT,
                false, Optional.of(DsnReturn.FULL), Optional.empty())), false);

        assertThat(mx.tlsSessions()).as("the route was authenticated: TLS happened").isNotEmpty();
        assertThat(mx.commands("MAIL")).as("no transaction without REQUIRETLS at the next hop").isEmpty();
        assertThat(mx.messages()).isEmpty();
        assertThat(queue.find(id)).as("a permanent failure: bounced, not retried").isEmpty();
        assertThat(events.requireTls).containsExactly(DeliveryEvents.RequireTls.REFUSED);

        DsnOutcome.Queued bounce = queued(dsns.getFirst());
        assertThat(bounce.kind()).isEqualTo(DsnKind.FAILURE);
        QueuedMessage dsn = queue.find(bounce.id()).orElseThrow();
        assertThat(dsn.envelope().sender()).as("from <>").isEmpty();
        assertThat(dsn.envelope().requireTls()).as("the bounce goes with REQUIRETLS too").isTrue();
        String text = dsnText(bounce.id());
        assertThat(text)
                .contains("Status: 5.7.30")
                .contains("REQUIRETLS is required, but was not offered by host mx.dest.test")
                .contains("text/rfc822-headers")
                .contains("Subject: secret")
                .doesNotContain("The body stays private.");
    }

    @Test
    void anMxWithoutAnAuthenticatingPolicyIsNeverContactedAndTheMessageFailsWith5730() throws Exception {
        // no MTA-STS policy, no DNSSEC: nothing authenticates the MX, however good its certificate
        mxAt("mx.dest.test");
        mx = world.mx(TestMx.builder().starttls(CA.issue("mx.dest.test")).extensions("REQUIRETLS"));
        startRelay(true);

        QueueId id = sendOnce(requireTls(MailParameters.NONE), false);

        assertThat(mx.connectionCount()).as("an unauthenticated MX is skipped").isZero();
        DsnOutcome.Queued bounce = queued(dsns.getFirst());
        assertThat(queue.find(id)).isEmpty();
        assertThat(dsnText(bounce.id()))
                .contains("Status: 5.7.30")
                .contains("mx.dest.test: the MX host is not authenticated");
        assertThat(events.requireTls).containsExactly(DeliveryEvents.RequireTls.REFUSED);
    }

    @Test
    void aTestingPolicyDoesNotAuthenticateTheMx() throws Exception {
        publish("testing", "mx.dest.test");
        mxAt("mx.dest.test");
        mx = world.mx(TestMx.builder().starttls(CA.issue("mx.dest.test")).extensions("REQUIRETLS"));
        startRelay(true);
        List<Cause> causes = new CopyOnWriteArrayList<>();
        // no bounce handler: the failure stays readable in the queue until the next pass
        world.startScheduler(world.resolver(), builder -> builder.policies(DomainPolicies.mtaSts(sts.policies()))
                .bounces((after, failed, original) -> {
                    original.ifPresent(BounceHandler::closeQuietly);
                    failed.forEach(i -> causes.add(((RecipientStatus.Failed) after.statuses().get(i)).outcome().cause()));
                }));

        sendOnce(requireTls(MailParameters.NONE), false);

        assertThat(mx.connectionCount()).isZero();
        assertThat(causes).containsExactly(Cause.REQUIRETLS_NOT_MET);
    }

    @Test
    void aFailingCertificateUnderEnforceDefersARequireTlsMessageAsAnyOther() throws Exception {
        mx = enforcedMx(TestMx.builder().starttls(CA.leaf("mx.dest.test").expired().issue()).extensions("REQUIRETLS"));
        startRelay(true);

        QueueId id = sendOnce(requireTls(MailParameters.NONE), false);

        RecipientStatus status = queue.find(id).orElseThrow().statuses().getFirst();
        assertThat(status).as("temporary: a fixed certificate delivers on a retry")
                .isInstanceOfSatisfying(RecipientStatus.Deferred.class,
                        d -> assertThat(d.outcome().reply().status()).isEqualTo(EnhancedStatus.CRYPTOGRAPHIC_FAILURE));
        assertThat(events.requireTls).containsExactly(DeliveryEvents.RequireTls.DEFERRED);
        assertThat(dsns).isEmpty();
    }

    // ---- under DANE ------------------------------------------------------------------------

    @Test
    void aDaneAuthenticatedHostTakesRequireTlsMailWithoutAnyMtaStsPolicy() throws Exception {
        TestCertificates.Issued certificate = TestCertificates.selfSigned("mx.dest.test").issue();
        signedDomain(tlsa(Tlsa.of(3, 1, 1, certificate.certificate())));
        mx = world.mx(TestMx.builder().starttls(certificate).extensions("REQUIRETLS"));
        startValidatingRelay(true);

        QueueId id = sendOnce(requireTls(MailParameters.NONE), false);

        ReceivedMessage received = mx.awaitMessages(1, ClientFixture.WAIT).getFirst();
        assertThat(received.mailParameters()).contains("REQUIRETLS");
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.requireTls).containsExactly(DeliveryEvents.RequireTls.DELIVERED);
    }

    @Test
    void onlyUnusableTlsaRecordsAuthenticateNothing() throws Exception {
        // PKIX-EE (usage 1) is unusable for SMTP: TLS becomes mandatory, but nothing is authenticated
        TestCertificates.Issued certificate = CA.issue("mx.dest.test");
        signedDomain(tlsa(Tlsa.of(1, 1, 1, certificate.certificate())));
        mx = world.mx(TestMx.builder().starttls(certificate).extensions("REQUIRETLS"));
        startValidatingRelay(true);

        QueueId id = sendOnce(requireTls(MailParameters.NONE), false);

        assertThat(mx.connectionCount()).isZero();
        assertThat(queue.find(id)).isEmpty();
        assertThat(dsnText(queued(dsns.getFirst()).id())).contains("Status: 5.7.30")
                .contains("mx.dest.test: the MX host is not authenticated (its TLSA records are all unusable");
        assertThat(events.requireTls).containsExactly(DeliveryEvents.RequireTls.REFUSED);
    }

    @Test
    void tlsRequiredNoWaivesDaneToo() throws Exception {
        TestCertificates.Issued presented = TestCertificates.selfSigned("mx.dest.test").issue();
        TestCertificates.Issued published = TestCertificates.selfSigned("mx.dest.test").issue(); // another key
        signedDomain(tlsa(Tlsa.of(3, 1, 1, published.certificate())));
        mx = world.mx(TestMx.builder().starttls(presented));
        startValidatingRelay(true);

        QueueId id = sendOnce(MailParameters.NONE, true);

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().tls()).isTrue();
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.tlsRequiredNo).containsExactly(DeliveryEvents.TlsRequiredNo.HONOURED);
    }

    // ---- TLS-Required: No ------------------------------------------------------------------

    @Test
    void tlsRequiredNoLetsAMessageGoDespiteAnEnforcedPolicyTheMxFails() throws Exception {
        mx = enforcedMx(TestMx.builder().starttls(TestCertificates.selfSigned("mx.dest.test").issue()));
        startRelay(true);

        QueueId id = sendOnce(MailParameters.NONE, true);

        ReceivedMessage received = mx.awaitMessages(1, ClientFixture.WAIT).getFirst();
        assertThat(received.tls()).as("opportunistic TLS is still tried").isTrue();
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.tlsRequiredNo).containsExactly(DeliveryEvents.TlsRequiredNo.HONOURED);
    }

    @Test
    void tlsRequiredNoIsRefusedWhenTheOperatorSaysSo() throws Exception {
        mx = enforcedMx(TestMx.builder().starttls(TestCertificates.selfSigned("mx.dest.test").issue()));
        startRelay(false);

        QueueId id = sendOnce(MailParameters.NONE, true);

        assertThat(mx.messages()).isEmpty();
        assertThat(queue.find(id).orElseThrow().statuses().getFirst())
                .isInstanceOfSatisfying(RecipientStatus.Deferred.class, d -> assertThat(d.reason())
                        .startsWith("451 4.7.5 MTA-STS policy of <dest.test> (mode enforce) could not be met"));
        assertThat(events.tlsRequiredNo).containsExactly(DeliveryEvents.TlsRequiredNo.REFUSED);
    }

    @Test
    void requireTlsWinsOverTlsRequiredNo() throws Exception {
        mx = enforcedMx(TestMx.builder().starttls(TestCertificates.selfSigned("mx.dest.test").issue())
                .extensions("REQUIRETLS"));
        startRelay(true);

        QueueId id = sendOnce(requireTls(MailParameters.NONE), true);

        assertThat(mx.messages()).isEmpty();
        assertThat(queue.find(id).orElseThrow().statuses().getFirst()).isInstanceOf(RecipientStatus.Deferred.class);
        assertThat(events.tlsRequiredNo).containsExactly(DeliveryEvents.TlsRequiredNo.OVERRIDDEN);
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static MailParameters requireTls(MailParameters parameters) {
        return parameters.withRequireTls(true);
    }

    /** dest.test under an enforce policy naming its one MX, mx.dest.test, which this server plays. */
    private TestMx enforcedMx(TestMx.Builder server) {
        publish("enforce", "mx.dest.test");
        mxAt("mx.dest.test");
        return world.mx(server);
    }

    private void publish(String mode, String... mxPatterns) {
        sts.publish(mode, 86400, mxPatterns);
    }

    private void mxAt(String host) {
        sts.mxAt(10, host);
    }

    /** dest.test signed (MX mx.dest.test at 127.0.0.1, plus these records), its DS the trust anchor. */
    private void signedDomain(String... extra) {
        List<String> lines = new ArrayList<>(List.of(DOMAIN + ". MX 10 mx.dest.test.", "mx.dest.test. A 127.0.0.1"));
        lines.addAll(List.of(extra));
        SignedZone zone = SignedZone.builder(DOMAIN).add(lines.toArray(String[]::new)).build();
        dns.add(zone.recordArray());
        anchor = zone.dsAnchor();
    }

    private static String tlsa(TlsaRecord record) {
        return "_25._tcp.mx.dest.test. TLSA " + record.usage() + " " + record.selector() + " " + record.matchingType()
                + " " + HexFormat.of().formatHex(record.data());
    }

    /** As {@link #startRelay}, with a resolver that validates DNSSEC from the signed domain's anchor. */
    private void startValidatingRelay(boolean honourTlsRequiredNo) throws Exception {
        Path file = Files.writeString(cacheDir.resolve("trust-anchors"), anchor);
        startRelay(honourTlsRequiredNo, sts.validatingResolver(file));
    }

    private void startRelay(boolean honourTlsRequiredNo) {
        startRelay(honourTlsRequiredNo, world.resolver());
    }

    private void startRelay(boolean honourTlsRequiredNo, DnsResolver resolver) {
        MtaStsPolicies policies = sts.startPolicies(resolver, cacheDir.resolve("policies"), MtaStsEvents.NONE);
        BounceQueuer bouncer = new BounceQueuer(queue, DsnSettings.of("relay.test", LIFETIME), clock, dsnWorker);
        world.startScheduler(resolver, builder -> builder
                .policies(DomainPolicies.mtaSts(policies))
                .honourTlsRequiredNo(honourTlsRequiredNo)
                .events(events)
                .bounces((after, failed, original) -> dsns.add(original
                        .map(body -> bouncer.queue(after, DsnKind.FAILURE, failed, body))
                        .orElseGet(() -> bouncer.queue(after, DsnKind.FAILURE, failed)))));
    }

    /** Commits one message to bob@dest.test and runs one scheduler pass over it. */
    private QueueId sendOnce(MailParameters parameters, boolean tlsRequiredNo) throws Exception {
        QueueId id = submit(parameters, tlsRequiredNo);
        world.runOnce();
        return id;
    }

    private QueueId submit(MailParameters parameters, boolean tlsRequiredNo) throws Exception {
        String content = tlsRequiredNo ? "TLS-Required: No\r\n" + BODY : BODY;
        try (MessageDraft draft = queue.newDraft()) {
            draft.write(content.getBytes(StandardCharsets.UTF_8));
            Envelope envelope = new Envelope(SENDER, List.of(RecipientAddress.of("bob@" + DOMAIN)), parameters,
                    clock.instant(), "127.0.0.1", "client.test", Optional.empty(), tlsRequiredNo);
            return draft.commit(envelope).get(10, TimeUnit.SECONDS);
        }
    }

    private static DsnOutcome.Queued queued(CompletableFuture<DsnOutcome> outcome) {
        DsnOutcome done = Await.result(outcome);
        assertThat(done).isInstanceOf(DsnOutcome.Queued.class);
        return (DsnOutcome.Queued) done;
    }

    private String dsnText(QueueId id) throws Exception {
        try (InputStream in = queue.openBody(id)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        }
    }
}
