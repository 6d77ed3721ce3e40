package dev.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.relay.dane.Tlsa;
import dev.relay.dane.TlsaRecord;
import dev.relay.delivery.testkit.ReceivedMessage;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.testkit.SignedZone;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.DomainPolicies;
import dev.relay.mtasts.MtaStsEvents;
import dev.relay.mtasts.MtaStsPolicies;
import dev.relay.outcome.Cause;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.MutableClock;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientStatus;
import dev.relay.smtp.client.ClientFixture;
import dev.relay.testkit.CapturedLogs;
import dev.relay.tlsrpt.CounterLimits;
import dev.relay.tlsrpt.DomainCounts;
import dev.relay.tlsrpt.PolicyType;
import dev.relay.tlsrpt.ReportSchema;
import dev.relay.tlsrpt.SessionCounters;
import dev.relay.tlsrpt.SessionPolicy;
import dev.relay.tlsrpt.TlsReportJson;
import dev.relay.tlsrpt.TlsReports;
import dev.relay.tlsrpt.TlsRptSettings;
import dev.relay.tlsrpt.TlsSession;
import dev.relay.tls.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * RFC 7672 end to end through the real delivery path: zones signed in the test and served by
 * the loopback DNS server, validated from a test trust anchor (the DS of {@code dest.test} and of
 * {@code hosting.test}, in a trust-anchor file as {@code delivery.dns.trust-anchors} names it),
 * the MTA-STS service beside it, the scheduler, the pool and the SMTP client delivering to a
 * loopback MX. TLSA records are computed from the test certificates apart from the code under
 * test ({@link Tlsa}). Each scenario asserts where the mail went, or that it waits and why, and
 * which policy governed (the attempt log's {@code mta-sts=} and {@code dane=}).
 */
class DaneConformanceTest {

    private static final String DOMAIN = "dest.test";
    private static final String MX_HOST = "mx.dest.test";
    private static final String TLSA_NAME = "_25._tcp.mx.dest.test.";
    private static final Duration RETRY = Duration.ofMinutes(5);
    private static final TestCertificates.Authority WEB_CA = ClientFixture.CA;
    /** A CA nobody trusts for the Web PKI: only a DANE-TA record can make it an anchor. */
    private static final TestCertificates.Authority DANE_CA = TestCertificates.newAuthority("DANE test anchor");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final RecordingDeliveryEvents events = new RecordingDeliveryEvents();
    @RegisterExtension
    final CapturedLogs attemptLog = CapturedLogs.of("dev.relay.delivery.attempts");
    private final List<String> anchors = new ArrayList<>();
    /** The sessions TLS reporting counts (RFC 8460), as the relay's daily reports would. */
    private final SessionCounters tlsSessions = new SessionCounters(clock, CounterLimits.DEFAULT);
    private MtaStsWorld sts;
    private DeliveryWorld world;
    private TestDnsServer dns;
    private TestMx mx;
    private MessageQueue queue;

    @BeforeEach
    void setUp() {
        sts = MtaStsWorld.start(clock, WEB_CA, RETRY, Duration.ofDays(5));
        world = sts.delivery;
        dns = sts.dns();
        queue = world.queue();
    }

    @AfterEach
    void tearDown() throws Exception {
        sts.close();
    }

    // ---- DANE-EE -------------------------------------------------------------------------

    static Stream<Arguments> selectorsAndMatchingTypes() {
        return Stream.of(0, 1).flatMap(selector -> Stream.of(0, 1, 2).map(matching -> Arguments.of(selector, matching)));
    }

    @ParameterizedTest(name = "3 {0} {1}")
    @MethodSource("selectorsAndMatchingTypes")
    void daneEeMatchingTheServersCertificateDeliversWithoutANameOrWebPkiCheck(int selector, int matching)
            throws Exception {
        // self-signed, for another name, expired: DANE-EE checks none of it (RFC 7672 3.1.1)
        TestCertificates.Issued certificate = TestCertificates.selfSigned("somewhere.else.test").expired().issue();
        signedDomain(tlsa(Tlsa.of(3, selector, matching, certificate.certificate())));
        QueueId id = sendOnceVia(TestMx.builder().starttls(certificate));

        ReceivedMessage received = mx.awaitMessages(1, ClientFixture.WAIT).getFirst();
        assertThat(received.tls()).isTrue();
        assertThat(received.sni()).contains(MX_HOST);
        assertThat(queue.find(id)).as("delivered").isEmpty();
        assertThat(events.daneChecks).containsExactly(MX_HOST + "/success");
        assertThat(events.attempts).containsExactly("delivered/verified/none");
        assertThat(attemptLine()).contains("verified=yes, mta-sts=none, dane=verify");
    }

    @ParameterizedTest(name = "3 {0} {1}")
    @MethodSource("selectorsAndMatchingTypes")
    void daneEeMatchingAnotherCertificateDefersWithoutSending(int selector, int matching) throws Exception {
        TestCertificates.Issued presented = TestCertificates.selfSigned(MX_HOST).issue();
        TestCertificates.Issued published = TestCertificates.selfSigned(MX_HOST).issue(); // another key
        signedDomain(tlsa(Tlsa.of(3, selector, matching, published.certificate())));
        QueueId id = sendOnceVia(TestMx.builder().starttls(presented));

        assertDaneDefers(id, "tlsa-invalid");
        assertThat(mx.connectionCount()).as("the handshake happened; the transaction did not").isEqualTo(1);
    }

    // ---- DANE-TA -------------------------------------------------------------------------

    @Test
    void daneTaAnchoringTheChainWithTheMxNameDelivers() throws Exception {
        signedDomain(tlsa(Tlsa.of(2, 0, 1, DANE_CA.certificate())));
        QueueId id = sendOnceVia(TestMx.builder().starttls(DANE_CA.issue(MX_HOST)));

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT)).hasSize(1);
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.daneChecks).containsExactly(MX_HOST + "/success");
        assertThat(attemptLine()).contains("verified=yes, mta-sts=none, dane=verify");
    }

    @Test
    void daneTaAnchoringAChainForAnotherNameDefers() throws Exception {
        signedDomain(tlsa(Tlsa.of(2, 1, 1, DANE_CA.certificate())));
        QueueId id = sendOnceVia(TestMx.builder().starttls(DANE_CA.issue("mx.elsewhere.test")));

        assertDaneDefers(id, "certificate-host-mismatch");
    }

    // ---- only unusable records: TLS mandatory, not authenticated --------------------------

    @Test
    void onlyUnusableRecordsDeliverOverTlsWithoutAuthentication() throws Exception {
        TestCertificates.Issued certificate = TestCertificates.selfSigned(MX_HOST).issue();
        // PKIX-EE(1) is unusable for SMTP (RFC 7672 3.1.3), even when it would match
        signedDomain(tlsa(Tlsa.of(1, 1, 1, certificate.certificate())));
        QueueId id = sendOnceVia(TestMx.builder().starttls(certificate));

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().tls()).isTrue();
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.attempts).containsExactly("delivered/tls/none");
        assertThat(attemptLine()).contains("verified=no:certificate-not-trusted, mta-sts=none, dane=encrypt");
    }

    @Test
    void onlyUnusableRecordsAndNoStarttlsDefers() throws Exception {
        signedDomain(tlsa(new TlsaRecord(0, 0, 1, new byte[32])));
        QueueId id = sendOnceVia(TestMx.builder()); // no STARTTLS offered

        assertThat(mx.messages()).isEmpty();
        assertThat(mx.commands("MAIL")).isEmpty();
        assertThat(sts.deferredReason(id)).startsWith("451 4.7.5 no MX host of <dest.test> could be used as its DANE")
                .contains("STARTTLS");
        assertThat(events.daneChecks).containsExactly(MX_HOST + "/starttls-not-supported");
    }

    // ---- DNSSEC failures: never a downgrade -----------------------------------------------

    @Test
    void aForgedTlsaSignatureDefersWithoutConnecting() throws Exception {
        QueueId id = sendOnceWithTlsaSpoiledBy(this::forgeTlsa);

        assertThat(mx.connectionCount()).as("a host whose TLSA records are bogus is not even tried").isZero();
        assertDnssecInvalid(id);
    }

    @Test
    void anExpiredTlsaSignatureDefersWithoutConnecting() throws Exception {
        TestCertificates.Issued certificate = TestCertificates.selfSigned(MX_HOST).issue();
        KeyPair key = SignedZone.newKey();
        String[] records = domainRecords(tlsa(Tlsa.of(3, 1, 1, certificate.certificate())));
        SignedZone zone = SignedZone.builder(DOMAIN).key(key).add(records).build();
        SignedZone expired = SignedZone.builder(DOMAIN).key(key).add(records)
                .validity(clock.instant().minus(Duration.ofDays(30)), clock.instant().minus(Duration.ofDays(1))).build();
        // the zone as signed, but the TLSA RRset's signature is one that expired yesterday
        dns.add(Stream.concat(zone.records().stream().filter(r -> !coversTlsa(r)),
                expired.records().stream().filter(DaneConformanceTest::coversTlsa)).toArray(Record[]::new));
        anchors.add(zone.dsAnchor());
        QueueId id = sendOnceVia(TestMx.builder().starttls(certificate));

        assertThat(mx.connectionCount()).isZero();
        assertDnssecInvalid(id);
    }

    @Test
    void aFailingTlsaLookupInASignedZoneDefers() throws Exception {
        QueueId id = sendOnceWithTlsaSpoiledBy(() -> dns.servfail(TLSA_NAME, "TLSA"));

        assertThat(mx.connectionCount()).isZero();
        assertDnssecInvalid(id);
    }

    @Test
    void aFailingAaaaLookupDoesNotSwitchDaneOff() throws Exception {
        // the A records are secure but the AAAA question fails: the addresses' DNSSEC status is
        // unknown, so the host is neither used with DANE unverified nor as if DANE did not apply
        TestCertificates.Issued certificate = TestCertificates.selfSigned(MX_HOST).issue();
        signedDomain(tlsa(Tlsa.of(3, 1, 1, TestCertificates.selfSigned(MX_HOST).issue().certificate())));
        dns.servfail(MX_HOST, "AAAA");
        QueueId id = sendOnceVia(TestMx.builder().starttls(certificate));

        assertThat(mx.connectionCount()).isZero();
        assertThat(sts.deferredReason(id)).contains("DNSSEC status is unknown");
        assertThat(events.daneChecks).containsExactly(MX_HOST + "/dnssec-invalid");
    }

    // ---- where DANE does not apply -------------------------------------------------------

    @Test
    void anUnsignedZoneIsGovernedByMtaSts() throws Exception {
        // no anchor covers dest.test: its records, TLSA included, are insecure, so the TLSA record
        // that matches nothing is ignored and the enforce policy decides
        dns.mx(DOMAIN, 10, MX_HOST).a(MX_HOST, "127.0.0.1").a("mta-sts." + DOMAIN, "127.0.0.1")
                .add(TLSA_NAME + " 300 IN TLSA 3 1 1 " + "00".repeat(32));
        publish("enforce", MX_HOST);
        QueueId id = sendOnceVia(TestMx.builder().starttls(WEB_CA.issue(MX_HOST)));

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT)).hasSize(1);
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.daneChecks).as("DANE never applied").isEmpty();
        assertThat(events.attempts).containsExactly("delivered/verified/enforce");
        assertThat(attemptLine()).contains("mta-sts=enforce, dane=none");
    }

    @Test
    void anInsecureMxLookupIgnoresTheHostsSecureTlsaRecords() throws Exception {
        // dest.test is unsigned; its MX lives in the signed hosting.test, whose TLSA record matches nothing
        dns.mx(DOMAIN, 10, "mx.hosting.test");
        SignedZone hosting = SignedZone.builder("hosting.test")
                .add("mx.hosting.test. A 127.0.0.1", "_25._tcp.mx.hosting.test. TLSA 3 1 1 " + "00".repeat(32))
                .build();
        dns.add(hosting.recordArray());
        anchors.add(hosting.dsAnchor());
        QueueId id = sendOnceVia(TestMx.builder().starttls(TestCertificates.selfSigned("mx.hosting.test").issue()));

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT)).hasSize(1);
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.daneChecks).isEmpty();
        assertThat(events.attempts).containsExactly("delivered/tls/none");
        assertThat(attemptLine()).contains("mta-sts=none, dane=none");
    }

    // ---- DANE and MTA-STS together: DANE decides each host it covers ---------------------

    @Test
    void daneSucceedingWhereMtaStsWouldFailDelivers() throws Exception {
        // the enforce policy lists another MX and the certificate is self-signed: MTA-STS would
        // refuse the host twice over; its TLSA record vouches for it, and DANE governs it
        TestCertificates.Issued certificate = TestCertificates.selfSigned(MX_HOST).issue();
        signedDomain(tlsa(Tlsa.of(3, 1, 1, certificate.certificate())));
        publish("enforce", "mx.other.test");
        QueueId id = sendOnceVia(TestMx.builder().starttls(certificate));

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT)).hasSize(1);
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.policyFailures).as("MTA-STS was not consulted for the host").isEmpty();
        assertThat(events.daneChecks).containsExactly(MX_HOST + "/success");
        assertThat(attemptLine()).contains("mta-sts=none, dane=verify");
    }

    @Test
    void daneFailingWhereMtaStsWouldSucceedDefers() throws Exception {
        // the certificate is valid in the Web PKI and listed by the enforce policy: MTA-STS would
        // deliver, but it never rescues a failing DANE check (RFC 8461 section 2)
        TestCertificates.Issued certificate = WEB_CA.issue(MX_HOST);
        signedDomain(tlsa(Tlsa.of(3, 1, 1, TestCertificates.selfSigned(MX_HOST).issue().certificate())));
        publish("enforce", MX_HOST);
        QueueId id = sendOnceVia(TestMx.builder().starttls(certificate));

        assertDaneDefers(id, "tlsa-invalid");
        assertThat(events.policyFailures).isEmpty();
    }

    @Test
    void aCnamedMxHostUsesTheExpandedNamesTlsaRecordsAndAcceptsItsName() throws Exception {
        // mail.dest.test is an alias of mx.dest.test: the TLSA base is the expanded name (RFC 7672
        // 2.2.2), SNI stays the MX name, and a DANE-TA leaf may carry either name
        SignedZone zone = SignedZone.builder(DOMAIN)
                .add(DOMAIN + ". MX 10 mail.dest.test.", "mail.dest.test. CNAME mx.dest.test.",
                        MX_HOST + ". A 127.0.0.1", tlsa(Tlsa.of(2, 0, 2, DANE_CA.certificate())))
                .build();
        dns.add(zone.recordArray());
        anchors.add(zone.dsAnchor());
        QueueId id = sendOnceVia(TestMx.builder().starttls(DANE_CA.issue(MX_HOST)));

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().sni()).contains("mail.dest.test");
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.daneChecks).containsExactly("mail.dest.test/success");
    }

    @Test
    void aFailingDaneHostIsSkippedAndTheNextMxTakesTheMail() throws Exception {
        // one server plays both MX hosts: mx1 presents a certificate its TLSA record does not
        // match, mx2 one that matches
        TestCertificates.Issued good = TestCertificates.selfSigned("mx2.dest.test").issue();
        TestCertificates.Issued bad = TestCertificates.selfSigned("mx1.dest.test").issue();
        SignedZone zone = SignedZone.builder(DOMAIN)
                .add(DOMAIN + ". MX 10 mx1.dest.test.", DOMAIN + ". MX 20 mx2.dest.test.",
                        "mx1.dest.test. A 127.0.0.1", "mx2.dest.test. A 127.0.0.1",
                        "_25._tcp.mx1.dest.test. TLSA 3 1 1 " + hex(Tlsa.of(3, 1, 1, good.certificate())),
                        "_25._tcp.mx2.dest.test. TLSA 3 1 1 " + hex(Tlsa.of(3, 1, 1, good.certificate())))
                .build();
        dns.add(zone.recordArray());
        anchors.add(zone.dsAnchor());
        QueueId id = sendOnceVia(TestMx.builder().starttls(good).certificateFor("mx1.dest.test", bad));

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().sni()).contains("mx2.dest.test");
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.daneChecks).containsExactly("mx1.dest.test/tlsa-invalid", "mx2.dest.test/success");
    }

    // ---- TLS reporting (RFC 8460) of DANE sessions ----------------------------------------

    @Test
    void aDaneSuccessIsReportedUnderTheHostsTlsaRecords() throws Exception {
        TestCertificates.Issued certificate = TestCertificates.selfSigned(MX_HOST).issue();
        TlsaRecord record = Tlsa.of(3, 1, 1, certificate.certificate());
        signedDomain(tlsa(record));
        sendOnceVia(TestMx.builder().starttls(certificate));
        mx.awaitMessages(1, ClientFixture.WAIT);

        DomainCounts.PolicyCounts counted = onlyPolicy();
        assertThat(counted.policy()).isEqualTo(new SessionPolicy(PolicyType.TLSA, List.of("3 1 1 " + hex(record)),
                List.of(MX_HOST)));
        assertThat(counted.successes()).isEqualTo(1);
        assertThat(counted.failures()).isZero();
    }

    @Test
    void aHostSkippedForBogusTlsaRecordsIsADnssecInvalidFailureWithoutAnAddress() throws Exception {
        sendOnceWithTlsaSpoiledBy(this::forgeTlsa);

        assertThat(mx.connectionCount()).isZero();
        DomainCounts.PolicyCounts counted = onlyPolicy();
        assertThat(counted.policy().type()).isEqualTo(PolicyType.TLSA);
        assertThat(counted.policy().policyStrings()).as("no records that can be trusted").isEmpty();
        assertThat(counted.policy().mxHosts()).containsExactly(MX_HOST);
        assertThat(counted.successes()).isZero();
        assertThat(counted.failures()).isEqualTo(1);
        assertThat(counted.failureRows()).singleElement().satisfies(row -> {
            TlsSession.Failure failure = row.failure();
            assertThat(failure.cause()).isEqualTo(Cause.DNSSEC_INVALID);
            assertThat(failure.receivingMxHostname()).contains(MX_HOST);
            assertThat(failure.receivingIp()).as("never connected").isEmpty();
        });
    }

    @Test
    void aDomainWithDaneAndMtaStsHostsHasOnePolicyEntryForEach() throws Exception {
        // mx1 has TLSA records its certificate does not match; mx2 has none, so the domain's
        // enforced MTA-STS policy governs it and its Web PKI certificate takes the mail
        TestCertificates.Issued published = TestCertificates.selfSigned("mx1.dest.test").issue();
        TestCertificates.Issued presented = TestCertificates.selfSigned("mx1.dest.test").issue();
        TlsaRecord record = Tlsa.of(3, 1, 1, published.certificate());
        SignedZone zone = SignedZone.builder(DOMAIN)
                .add(DOMAIN + ". MX 10 mx1.dest.test.", DOMAIN + ". MX 20 mx2.dest.test.",
                        "mx1.dest.test. A 127.0.0.1", "mx2.dest.test. A 127.0.0.1", "mta-sts.dest.test. A 127.0.0.1",
                        "_25._tcp.mx1.dest.test. TLSA 3 1 1 " + hex(record))
                .build();
        dns.add(zone.recordArray());
        anchors.add(zone.dsAnchor());
        publish("enforce", "*.dest.test");
        sendOnceVia(TestMx.builder().starttls(WEB_CA.issue("mx2.dest.test")).certificateFor("mx1.dest.test", presented));

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().sni()).contains("mx2.dest.test");
        DomainCounts counts = tlsSessions.domain(tlsSessions.today(), DOMAIN).orElseThrow();
        assertThat(counts.policies()).extracting(p -> p.policy().type(), DomainCounts.PolicyCounts::successes,
                DomainCounts.PolicyCounts::failures)
                .containsExactlyInAnyOrder(tuple(PolicyType.TLSA, 0L, 1L),
                        tuple(PolicyType.STS, 1L, 0L));

        JsonNode report = JsonMapper.builder().build().readTree(TlsReportJson.json(TlsReports.build(counts,
                new TlsRptSettings(true, "Relay Test", "mailto:postmaster@relay.test", "tls-reports@relay.test",
                        "relay.test", 4))));
        assertThat(ReportSchema.errors(report)).isEmpty();
        JsonNode dane = null;
        for (JsonNode entry : report.get("policies")) {
            if (entry.at("/policy/policy-type").asText().equals("tlsa")) {
                dane = entry;
            }
        }
        assertThat(dane).as("a tlsa entry").isNotNull();
        assertThat(dane.at("/policy/policy-string/0").asText()).isEqualTo("3 1 1 " + hex(record));
        assertThat(dane.at("/policy/policy-domain").asText()).isEqualTo(DOMAIN);
        assertThat(dane.at("/policy/mx-host/0").asText()).isEqualTo("mx1.dest.test");
        JsonNode failure = dane.at("/failure-details/0");
        assertThat(failure.path("result-type").asText()).isEqualTo("tlsa-invalid");
        assertThat(failure.path("receiving-mx-hostname").asText()).isEqualTo("mx1.dest.test");
        assertThat(failure.path("receiving-ip").asText()).isEqualTo("127.0.0.1");
        assertThat(failure.path("sending-mta-ip").asText()).as("the relay's side of the failed handshake")
                .isEqualTo("127.0.0.1");
    }

    /** The one policy dest.test's sessions were counted under today. */
    private DomainCounts.PolicyCounts onlyPolicy() {
        return await().atMost(ClientFixture.WAIT)
                .until(() -> tlsSessions.domain(tlsSessions.today(), DOMAIN), Optional::isPresent)
                .orElseThrow().policies().stream().reduce((a, b) -> {
                    throw new AssertionError("more than one policy: " + a.policy() + ", " + b.policy());
                }).orElseThrow();
    }

    // ---- helpers -------------------------------------------------------------------------

    private void assertDaneDefers(QueueId id, String resultType) {
        assertThat(mx.messages()).as("nothing delivered against DANE").isEmpty();
        assertThat(mx.commands("MAIL")).as("not even a transaction started").isEmpty();
        assertThat(sts.deferredReason(id)).startsWith("451 4.7.5 no MX host of <dest.test> could be used as its DANE")
                .contains(MX_HOST).contains(resultType);
        assertThat(events.daneChecks).containsExactly(MX_HOST + "/" + resultType);
        assertStillQueuedForRetry(id);
    }

    private void assertDnssecInvalid(QueueId id) {
        assertThat(sts.deferredReason(id)).startsWith("451 4.7.5 no MX host of <dest.test> could be used as its DANE")
                .contains("_25._tcp.mx.dest.test");
        assertThat(events.daneChecks).containsExactly(MX_HOST + "/dnssec-invalid");
        assertThat(attemptLine()).contains("mta-sts=none, dane=verify, cause=dnssec-invalid");
        assertStillQueuedForRetry(id);
    }

    /** Temporary: still queued for a retry, not bounced, until the queue lifetime ends. */
    private void assertStillQueuedForRetry(QueueId id) {
        QueuedMessage message = queue.find(id).orElseThrow();
        assertThat(((RecipientStatus.Deferred) message.statuses().getFirst()).nextAttempt())
                .isEqualTo(clock.instant().plus(RETRY));
    }

    /**
     * mx.dest.test with a self-signed certificate and one signed DANE-EE record matching it, whose
     * TLSA answer {@code spoil} then changes; one message is tried.
     */
    private QueueId sendOnceWithTlsaSpoiledBy(Runnable spoil) throws Exception {
        TestCertificates.Issued certificate = TestCertificates.selfSigned(MX_HOST).issue();
        signedDomain(tlsa(Tlsa.of(3, 1, 1, certificate.certificate())));
        spoil.run();
        return sendOnceVia(TestMx.builder().starttls(certificate));
    }

    /** After signing: the TLSA record no longer matches its RRSIG. */
    private void forgeTlsa() {
        dns.clear(TLSA_NAME, "TLSA").add(TLSA_NAME + " 300 IN TLSA 3 1 1 " + "00".repeat(32));
    }

    private static boolean coversTlsa(Record r) {
        return r instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.TLSA;
    }

    /** dest.test signed, MX mx.dest.test at 127.0.0.1, with these extra records, anchored. */
    private void signedDomain(String... extra) {
        SignedZone zone = SignedZone.builder(DOMAIN).add(domainRecords(extra)).build();
        dns.add(zone.recordArray());
        anchors.add(zone.dsAnchor());
    }

    private static String[] domainRecords(String... extra) {
        List<String> lines = new ArrayList<>(List.of(DOMAIN + ". MX 10 " + MX_HOST + ".", MX_HOST + ". A 127.0.0.1",
                "mta-sts." + DOMAIN + ". A 127.0.0.1"));
        lines.addAll(List.of(extra));
        return lines.toArray(String[]::new);
    }

    private static String tlsa(TlsaRecord record) {
        return TLSA_NAME + " TLSA " + record.usage() + " " + record.selector() + " " + record.matchingType() + " "
                + hex(record);
    }

    private static String hex(TlsaRecord record) {
        return HexFormat.of().formatHex(record.data());
    }

    /** An MTA-STS policy for dest.test; its TXT record is served unsigned beside the signed zone. */
    private void publish(String mode, String... mxPatterns) {
        sts.publish(mode, 86400, mxPatterns);
    }

    private void startRelay() throws IOException {
        if (anchors.isEmpty()) {
            // a validating resolver needs an anchor; one for an unrelated zone leaves dest.test insecure
            anchors.add(SignedZone.builder("unrelated.test").build().dsAnchor());
        }
        Path file = Files.writeString(dir.resolve("trust-anchors"), String.join("", anchors));
        DnsResolver resolver = sts.validatingResolver(file);
        MtaStsPolicies policies = sts.startPolicies(resolver, dir.resolve("policies"), MtaStsEvents.NONE);
        world.startScheduler(resolver, builder -> builder
                .policies(DomainPolicies.mtaSts(policies))
                .tlsSessions(tlsSessions::record)
                .events(events)
                .bounces((after, failed, original) -> original.ifPresent(BounceHandler::closeQuietly)));
    }

    /** This server plays the MX hosts; the relay starts and tries one new message once. */
    private QueueId sendOnceVia(TestMx.Builder server) throws Exception {
        mx = world.mx(server);
        startRelay();
        return sts.sendOnce();
    }

    private String attemptLine() {
        return attemptLog.messages().stream().filter(line -> line.contains("to=<"))
                .reduce((first, second) -> second).orElseThrow();
    }
}
