package dev.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.delivery.testkit.ReceivedMessage;
import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.DomainPolicies;
import dev.relay.mtasts.MtaStsEvents;
import dev.relay.mtasts.MtaStsPolicies;
import dev.relay.mtasts.testkit.TestPolicyServer;
import dev.relay.outcome.Cause;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.MutableClock;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientStatus;
import dev.relay.smtp.client.ClientFixture;
import dev.relay.tls.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8461 end to end through the real delivery path: the scheduler, the MTA-STS service (TXT
 * over a loopback DNS server, the policy over HTTPS from a loopback policy server with a test CA
 * certificate), the connection pool and the SMTP client, delivering to a loopback MX. Each
 * scenario asserts where the mail went, or that it waits and why. Time is a {@link MutableClock}:
 * policy expiry and retries move it, nothing sleeps.
 */
class MtaStsConformanceTest {

    private static final String DOMAIN = "dest.test";
    private static final Duration RETRY = Duration.ofMinutes(5);
    private static final Duration LIFETIME = Duration.ofDays(5);
    private static final TestCertificates.Authority CA = ClientFixture.CA;

    @TempDir
    Path cacheDir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final RecordingDeliveryEvents events = new RecordingDeliveryEvents();
    private final List<String> fetchResults = new CopyOnWriteArrayList<>();
    private MtaStsWorld sts;
    private DeliveryWorld world;
    private TestDnsServer dns;
    private TestPolicyServer web;
    private TestMx mx;
    private MessageQueue queue;

    @BeforeEach
    void setUp() {
        sts = MtaStsWorld.start(clock, CA, RETRY, LIFETIME);
        world = sts.delivery;
        dns = sts.dns();
        web = sts.web;
        queue = world.queue();
        dns.a("mta-sts." + DOMAIN, "127.0.0.1");
    }

    @AfterEach
    void tearDown() throws Exception {
        sts.close();
    }

    // ---- enforce -------------------------------------------------------------------------

    @Test
    void enforceWithAGoodMxDeliversOverVerifiedTls() throws Exception {
        sts.publish("enforce", 86400, "mx.dest.test");
        QueueId id = sendOnceVia("mx.dest.test", TestMx.builder().starttls(CA.issue("mx.dest.test")));

        ReceivedMessage received = mx.awaitMessages(1, ClientFixture.WAIT).getFirst();
        assertThat(received.tls()).isTrue();
        assertThat(received.sni()).contains("mx.dest.test");
        assertThat(queue.find(id)).as("delivered, so it left the queue").isEmpty();
        assertThat(events.policyFailures).isEmpty();
        assertThat(fetchResults).containsExactly("ok");
        assertThat(events.attempts).containsExactly("delivered/verified/enforce");
    }

    @Test
    void enforceWithAWildcardMxPatternDeliversToAHostOneLabelDeeper() throws Exception {
        sts.publish("enforce", 86400, "*.dest.test");
        QueueId id = sendOnceVia("mail.dest.test", TestMx.builder().starttls(CA.issue("mail.dest.test")));

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().sni()).contains("mail.dest.test");
        assertThat(queue.find(id)).isEmpty();
    }

    @Test
    void enforceWithASelfSignedMxCertificateDefers() throws Exception {
        assertEnforceDefers(TestMx.builder().starttls(TestCertificates.selfSigned("mx.dest.test").issue()),
                "certificate-not-trusted");
    }

    @Test
    void enforceWithACertificateForAnotherNameDefers() throws Exception {
        assertEnforceDefers(TestMx.builder().starttls(CA.issue("mx.elsewhere.test")), "certificate-host-mismatch");
    }

    /** RFC 8461 section 4.2: the name must be a SAN DNS-ID; a CN naming the MX does not count. */
    @Test
    void enforceWithACertificateNamingTheMxOnlyInItsCommonNameDefers() throws Exception {
        assertEnforceDefers(TestMx.builder().starttls(CA.leaf("mx.dest.test").withoutSubjectAltNames().issue()),
                "certificate-host-mismatch");
    }

    @Test
    void enforceWithACertificateWhoseSanHoldsOnlyAnIpAddressDefers() throws Exception {
        assertEnforceDefers(TestMx.builder().starttls(CA.leaf("127.0.0.1").commonName("mx.dest.test").issue()),
                "certificate-host-mismatch");
    }

    @Test
    void enforceWithAnExpiredCertificateDefers() throws Exception {
        assertEnforceDefers(TestMx.builder().starttls(CA.leaf("mx.dest.test").expired().issue()), "certificate-expired");
    }

    @Test
    void enforceWithAnMxThatOffersNoStarttlsDefers() throws Exception {
        assertEnforceDefers(TestMx.builder(), "starttls-not-supported");
    }

    /** The MX has a perfect certificate, but it is not one the policy names: never connect to it. */
    @Test
    void enforceWithAnMxThePolicyDoesNotListDefersWithoutConnecting() throws Exception {
        sts.publish("enforce", 86400, "mx.dest.test");
        QueueId id = sendOnceVia("mx.attacker.test", TestMx.builder().starttls(CA.issue("mx.attacker.test")));

        assertThat(mx.connectionCount()).as("an unlisted MX is never contacted").isZero();
        String reason = sts.deferredReason(id);
        assertThat(reason).startsWith("451 4.7.5 MTA-STS policy of <dest.test> (mode enforce) could not be met")
                .contains("mx.attacker.test does not match");
        assertThat(events.policyFailures).singleElement().satisfies(f -> {
            assertThat(f.cause()).isEqualTo(Cause.MX_MISMATCH);
            assertThat(f.mxHost()).isEqualTo("mx.attacker.test");
            assertThat(f.enforced()).isTrue();
        });
    }

    @Test
    void enforceWithTwoMxWhereThePreferredFailsDeliversToTheSecondOnly() throws Exception {
        sts.publish("enforce", 86400, "mx1.dest.test", "mx2.dest.test");
        sts.mxAt(10, "mx1.dest.test");
        sts.mxAt(20, "mx2.dest.test");
        // one server plays both hosts: mx1 presents a certificate for the wrong name
        mx = world.mx(TestMx.builder().starttls(CA.issue("mx2.dest.test"))
                .certificateFor("mx1.dest.test", CA.issue("wrong.dest.test")));
        startRelay();

        QueueId id = sts.sendOnce();

        List<ReceivedMessage> received = mx.awaitMessages(1, ClientFixture.WAIT);
        assertThat(received).singleElement().satisfies(m -> assertThat(m.sni()).contains("mx2.dest.test"));
        assertThat(mx.connectionCount()).as("mx1 was tried first, then mx2").isEqualTo(2);
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.policyFailures).singleElement().satisfies(f -> {
            assertThat(f.mxHost()).isEqualTo("mx1.dest.test");
            assertThat(f.resultType()).isEqualTo("certificate-host-mismatch");
        });
    }

    // ---- testing, none, no policy --------------------------------------------------------

    @Test
    void testingModeWithABadCertificateDeliversAndCountsTheFailure() throws Exception {
        sts.publish("testing", 86400, "mx.dest.test");
        QueueId id = sendOnceVia("mx.dest.test", TestMx.builder().starttls(TestCertificates.selfSigned("mx.dest.test").issue()));

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT)).hasSize(1);
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.attempts).containsExactly("delivered/tls/testing");
        assertThat(events.policyFailures).singleElement().satisfies(f -> {
            assertThat(f.enforced()).isFalse();
            assertThat(f.resultType()).isEqualTo("certificate-not-trusted");
            assertThat(f.mxHost()).isEqualTo("mx.dest.test");
        });
    }

    @Test
    void modeNoneDeliversAsWithoutPolicy() throws Exception {
        sts.publish("none", 86400);
        assertDeliveredOpportunistically();
    }

    @Test
    void noPolicyRecordDeliversOpportunistically() throws Exception {
        assertDeliveredOpportunistically();
        assertThat(web.requestCount()).as("no TXT record, no fetch").isZero();
    }

    @Test
    void aPolicyUrlThatRedirectsIsNotFollowedAndCountsAsNoPolicy() throws Exception {
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=1");
        web.domain(DOMAIN).respond(TestPolicyServer.Response.redirect(
                "https://mta-sts.dest.test/elsewhere/mta-sts.txt"));
        web.domain(DOMAIN).respond("/elsewhere/mta-sts.txt", TestPolicyServer.Response.policy(
                TestPolicyServer.policyText("enforce", 86400, "mx.nowhere.test")));
        assertDeliveredOpportunistically();
        assertThat(web.requests()).extracting(TestPolicyServer.Request::path)
                .containsExactly(TestPolicyServer.POLICY_PATH);
        assertThat(fetchResults).containsExactly("redirect");
    }

    @Test
    void anOversizedPolicyCountsAsNoPolicy() throws Exception {
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=1");
        web.domain(DOMAIN).respond(TestPolicyServer.Response.oversized(200_000));
        assertDeliveredOpportunistically();
        assertThat(fetchResults).containsExactly("too_large");
    }

    @Test
    void aPolicyServedAsHtmlCountsAsNoPolicy() throws Exception {
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=1");
        web.domain(DOMAIN).respond(TestPolicyServer.Response.policy(TestPolicyServer.policyText("enforce", 86400, "mx.nowhere.test"))
                .withHeader("Content-Type", "text/html; charset=utf-8"));
        assertDeliveredOpportunistically();
        assertThat(fetchResults).containsExactly("wrong_media_type");
    }

    @Test
    void aPolicyHostWithAnInvalidCertificateCountsAsNoPolicy() throws Exception {
        sts.publish("enforce", 86400, "mx.nowhere.test");
        web.domain(DOMAIN).certificate(TestCertificates.selfSigned("mta-sts.dest.test").issue());
        assertDeliveredOpportunistically();
        assertThat(fetchResults).containsExactly("tls_error");
    }

    // ---- the cache against an attacker and over time -------------------------------------

    /** An attacker who strips the TXT record and redirects MX finds the cached policy still enforced. */
    @Test
    void aCachedPolicyStillAppliesWhenTheTxtRecordVanishesAndTheMxIsRedirected() throws Exception {
        deliverOnceUnderEnforce(86400, "mx.attacker.test", CA.issue("mx.attacker.test"));

        dns.remove("_mta-sts." + DOMAIN).remove(DOMAIN);
        sts.mxAt(10, "mx.attacker.test");
        clock.advance(Duration.ofHours(1));
        QueueId second = sts.sendOnce();

        assertThat(sts.deferredReason(second)).startsWith("451 4.7.5").contains("mx.attacker.test does not match");
        assertThat(mx.messages()).as("nothing reached the attacker's host").hasSize(1);
        assertThat(web.requestCount()).as("no TXT record: no new fetch").isEqualTo(1);
    }

    @Test
    void aChangedPolicyIdWithANewMxIsFetchedAndUsed() throws Exception {
        deliverOnceUnderEnforce(86400, "mx.new.test", CA.issue("mx.new.test"));

        // the domain moves its mail to a new host and says so under a new id
        dns.remove("_mta-sts." + DOMAIN).remove(DOMAIN);
        dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=2");
        web.domain(DOMAIN).policy(TestPolicyServer.policyText("enforce", 86400, "mx.new.test"));
        sts.mxAt(10, "mx.new.test");
        clock.advance(Duration.ofMinutes(10));
        QueueId second = sts.sendOnce();

        assertThat(mx.awaitMessages(2, ClientFixture.WAIT).get(1).sni()).contains("mx.new.test");
        assertThat(queue.find(second)).isEmpty();
        assertThat(web.requestCount()).isEqualTo(2);
    }

    @Test
    void aCachedPolicyExpiresAfterMaxAgeWhenItCannotBeRenewed() throws Exception {
        deliverOnceUnderEnforce(3600, "mx.other.test", TestCertificates.selfSigned("mx.other.test").issue());

        // the domain drops MTA-STS and its MX; the policy binds only until max_age runs out
        dns.remove("_mta-sts." + DOMAIN).remove(DOMAIN);
        sts.mxAt(10, "mx.other.test");
        clock.advance(Duration.ofMinutes(30));
        QueueId withinMaxAge = sts.sendOnce();
        assertThat(sts.deferredReason(withinMaxAge)).startsWith("451 4.7.5");

        clock.advance(Duration.ofMinutes(31));
        runOnce(); // the deferred message is due again (retry 5 minutes) and the policy has expired

        assertThat(mx.awaitMessages(2, ClientFixture.WAIT).get(1).sni()).contains("mx.other.test");
        assertThat(queue.find(withinMaxAge)).isEmpty();
    }

    /** A restart over the same cache directory keeps enforcing while the policy host is down. */
    @Test
    void aRestartKeepsEnforcingTheCachedPolicyWhileThePolicyHostIsDown() throws Exception {
        deliverOnceUnderEnforce(86400, "mx.attacker.test", TestCertificates.selfSigned("mx.attacker.test").issue());

        sts.stop();
        web.close();
        dns.remove(DOMAIN);
        sts.mxAt(10, "mx.attacker.test");
        clock.advance(Duration.ofHours(2));
        startRelay();
        QueueId afterRestart = sts.sendOnce();

        assertThat(sts.deferredReason(afterRestart)).startsWith("451 4.7.5").contains("mx.attacker.test does not match");
        assertThat(mx.messages()).hasSize(1);
    }

    @Test
    void aTxtLookupThatFailsWithNothingCachedDefersInsteadOfDowngrading() throws Exception {
        dns.servfail("_mta-sts." + DOMAIN, "TXT");
        QueueId id = sendOnceVia("mx.dest.test", TestMx.builder().starttls(TestCertificates.selfSigned("mx.dest.test").issue()));

        assertThat(mx.connectionCount()).isZero();
        assertThat(sts.deferredReason(id)).startsWith("451 4.4.3 MTA-STS policy of <dest.test> could not be determined");
        assertThat(events.policyFailures).singleElement()
                .satisfies(f -> assertThat(f.cause()).isEqualTo(Cause.STS_POLICY_UNAVAILABLE));
    }

    @Test
    void aPolicyThatStaysUnknownPastTheWaitIsDeliveredAsWithoutOneAndSaysSo() throws Exception {
        dns.servfail("_mta-sts." + DOMAIN, "TXT");
        QueueId id = sendOnceVia("mx.dest.test", TestMx.builder().starttls(TestCertificates.selfSigned("mx.dest.test").issue()));
        assertThat(mx.connectionCount()).as("within the wait: deferred").isZero();
        assertThat(events.policyFailures).singleElement().satisfies(f -> assertThat(f.enforced()).isTrue());

        // the default wait is 1h: past it, the TXT lookup still failing, the mail goes as without a policy
        clock.advance(Duration.ofMinutes(61));
        runOnce();

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT)).hasSize(1);
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.policyFailures).hasSize(2).last().satisfies(f -> {
            assertThat(f.cause()).isEqualTo(Cause.STS_POLICY_UNAVAILABLE);
            assertThat(f.enforced()).as("not an enforcement: delivered without a policy").isFalse();
            assertThat(f.detail()).contains("has waited 1h1m").contains("goes as without a policy");
        });
        assertThat(events.attempts).last().isEqualTo("delivered/tls/none");
    }

    // ---- helpers -------------------------------------------------------------------------

    /**
     * The first half of every cache scenario: an enforce policy for mx.dest.test with this
     * max_age is fetched and cached while one message goes there. The same server also plays
     * {@code otherMx} with {@code otherCertificate}, for the scenario's second half.
     */
    private void deliverOnceUnderEnforce(long maxAge, String otherMx, TestCertificates.Issued otherCertificate)
            throws Exception {
        sts.publish("enforce", maxAge, "mx.dest.test");
        sendOnceVia("mx.dest.test", TestMx.builder().starttls(CA.issue("mx.dest.test")).certificateFor(otherMx, otherCertificate));
        assertThat(mx.awaitMessages(1, ClientFixture.WAIT)).hasSize(1);
    }

    private void assertEnforceDefers(TestMx.Builder server, String resultType) throws Exception {
        sts.publish("enforce", 86400, "mx.dest.test");
        QueueId id = sendOnceVia("mx.dest.test", server);

        assertThat(mx.messages()).as("nothing delivered against the policy").isEmpty();
        assertThat(mx.commands("MAIL")).as("not even a transaction started").isEmpty();
        String reason = sts.deferredReason(id);
        assertThat(reason).startsWith("451 4.7.5 MTA-STS policy of <dest.test> (mode enforce) could not be met")
                .contains("mx.dest.test").contains(resultType.equals("starttls-not-supported") ? "STARTTLS" : resultType);
        assertThat(events.policyFailures).singleElement().satisfies(f -> {
            assertThat(f.resultType()).isEqualTo(resultType);
            assertThat(f.enforced()).isTrue();
            assertThat(f.mxHost()).isEqualTo("mx.dest.test");
        });

        // temporary: still queued for a retry, not bounced, until the queue lifetime ends
        QueuedMessage message = queue.find(id).orElseThrow();
        assertThat(((RecipientStatus.Deferred) message.statuses().getFirst()).nextAttempt())
                .isEqualTo(clock.instant().plus(RETRY));
    }

    /** A self-signed MX: only opportunistic TLS delivers there. */
    private void assertDeliveredOpportunistically() throws Exception {
        QueueId id = sendOnceVia("mx.dest.test", TestMx.builder().starttls(TestCertificates.selfSigned("mx.dest.test").issue()));

        assertThat(mx.awaitMessages(1, ClientFixture.WAIT).getFirst().tls()).isTrue();
        assertThat(queue.find(id)).isEmpty();
        assertThat(events.policyFailures).isEmpty();
        assertThat(events.attempts).containsExactly("delivered/tls/none");
    }

    /** dest.test's MX is {@code mxHost}, played by this server; the relay starts and tries one new message once. */
    private QueueId sendOnceVia(String mxHost, TestMx.Builder server) throws Exception {
        sts.mxAt(10, mxHost);
        mx = world.mx(server);
        startRelay();
        return sts.sendOnce();
    }

    private void startRelay() {
        DnsResolver resolver = world.resolver();
        MtaStsPolicies policies = sts.startPolicies(resolver, cacheDir, new MtaStsEvents() {
            @Override
            public void policyFetched(String result) {
                fetchResults.add(result);
            }
        });
        world.startScheduler(resolver, builder -> builder
                .policies(DomainPolicies.mtaSts(policies))
                .events(events)
                .bounces((after, failed, original) -> original.ifPresent(BounceHandler::closeQuietly)));
    }

    private void runOnce() throws Exception {
        world.runOnce();
    }
}
