package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.delivery.testkit.TestMx;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.testkit.TestPolicyServer;
import dev.relay.tls.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code relay.jar mta-sts check} against a loopback DNS server, policy server and MX. */
class MtaStsCheckCommandTest {

    private static final TestCertificates.Authority CA = TestCertificates.newAuthority("Check Test CA");

    @TempDir
    Path dir;

    private CheckPeers peers;
    private TestDnsServer dns;
    private TestPolicyServer web;

    @BeforeEach
    void setUp() {
        peers = new CheckPeers(CA, dir);
        dns = peers.dns;
        web = peers.web;
        dns.a("mta-sts.dest.test", "127.0.0.1");
    }

    @AfterEach
    void tearDown() {
        peers.close();
    }

    @Test
    void anEnforcedDomainWithAGoodMxIsDeliverable() throws Exception {
        peers.publishEnforce("20261130", "mx.dest.test");
        peers.mxAt("mx.dest.test", TestMx.builder().starttls(CA.issue("mx.dest.test")));

        CommandRun result = check("dest.test");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out())
                .contains("TXT _mta-sts.dest.test", "\"v=STSv1; id=20261130\"", "valid STSv1 record, id 20261130")
                .contains("| mode: enforce", "-> valid: mode enforce, max_age 86400 s, mx mx.dest.test")
                .contains("10 mx.dest.test   policy match: yes")
                .contains("STARTTLS ok, TLSv1.")
                .containsPattern("subject .*CN=mx.dest.test").containsPattern("issuer  .*CN=Check Test CA").contains("expires 20")
                .contains("verdict: valid for mx.dest.test", "-> usable under the enforce policy")
                .contains("Result: a sender can deliver to dest.test under its enforce policy");
    }

    @Test
    void anEnforcedDomainWhoseOnlyMxIsUnlistedOrBadIsNotDeliverable() throws Exception {
        peers.publishEnforce("20261130", "mx.dest.test");
        dns.mx("dest.test", 10, "mx.dest.test").a("mx.dest.test", "127.0.0.1")
                .mx("dest.test", 20, "backup.other.test").a("backup.other.test", "127.0.0.1");
        peers.startMx(TestMx.builder().starttls(CA.issue("mx.elsewhere.test")));

        CommandRun result = check("dest.test");

        assertThat(result.exitCode()).as(result.out()).isEqualTo(1);
        assertThat(result.out())
                .contains("verdict: NOT valid (certificate-host-mismatch)")
                .contains("20 backup.other.test   policy match: NO")
                .contains("skipped: a sender never delivers to a host the enforce policy does not list")
                .contains("Result: a sender CANNOT deliver to dest.test: no MX host meets its enforce policy");
    }

    @Test
    void anMxWithoutStarttlsFailsEnforceButPassesWithoutPolicy() throws Exception {
        peers.mxAt("mx.dest.test", TestMx.builder());

        CommandRun noPolicy = check("dest.test");
        assertThat(noPolicy.exitCode()).as(noPolicy.out()).isZero();
        assertThat(noPolicy.out()).contains("-> name does not exist: no policy announced")
                .contains("fetched for information only")
                .contains("connected, STARTTLS not offered")
                .contains("Result: no MTA-STS policy in force for dest.test");

        peers.publishEnforce("20261130", "mx.dest.test");
        CommandRun enforced = check("dest.test");
        assertThat(enforced.exitCode()).as(enforced.out()).isEqualTo(1);
        assertThat(enforced.out()).contains("connected, STARTTLS not offered", "-> not usable under the enforce policy");
    }

    @Test
    void aBrokenPolicyIsExplainedInPlainWords() throws Exception {
        peers.publish("7", "version: STSv1\nmode: enforce\nnmx: mx.dest.test\nmax_age: 86400\n");
        peers.mxAt("mx.dest.test", TestMx.builder().starttls(CA.issue("mx.dest.test")));

        CommandRun result = check("dest.test");

        assertThat(result.out()).contains("-> invalid:").contains("nmx");
        assertThat(result.exitCode()).as("no policy in force, the MX answers").isZero();
    }

    @Test
    void aRedirectingPolicyHostIsReportedAsNotFollowed() throws Exception {
        dns.txt("_mta-sts.dest.test", "v=STSv1; id=7");
        web.domain("dest.test").respond(TestPolicyServer.Response.redirect("https://elsewhere.test/policy"));
        peers.mxAt("mx.dest.test", TestMx.builder().starttls(CA.issue("mx.dest.test")));

        CommandRun result = check("dest.test");

        assertThat(result.out()).contains("fetch failed (redirect)").contains("https://elsewhere.test/policy");
    }

    @Test
    void aFailingTxtLookupGivesOneVerdictStatedOnce() throws Exception {
        dns.servfail("_mta-sts.dest.test", "TXT");
        web.domain("dest.test").policy(TestPolicyServer.policyText("enforce", 86400, "mx.dest.test"));
        peers.mxAt("mx.dest.test", TestMx.builder().starttls(CA.issue("mx.dest.test")));

        CommandRun result = check("dest.test");

        assertThat(result.out()).contains("-> lookup failed:")
                .contains("with the TXT lookup failing a sender does not fetch it")
                // the sections used to contradict each other: defer, deliver as if no policy, no policy in force
                .doesNotContain("delivers as if there were no policy")
                .doesNotContain("no MTA-STS policy in force");
        assertThat(result.out().lines().filter(l -> l.startsWith("Result: "))).singleElement().asString()
                .contains("cannot be found out").contains("holds its mail");
        assertThat(result.exitCode()).as("not deliverable now").isEqualTo(1);
    }

    @Test
    void aMalformedDomainIsAUsageError() throws Exception {
        CommandRun result = check("not a domain");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err().strip()).contains("'not a domain' is not a domain name").doesNotContain("Exception");
    }

    @Test
    void aCachedPolicyOutOfStepWithTheLiveOneIsShownAsStale() throws Exception {
        peers.publishEnforce("20261130", "mx-new.dest.test");
        peers.mxAt("mx-new.dest.test", TestMx.builder().starttls(CA.issue("mx-new.dest.test")));
        cache("20261130", "mx-old.dest.test");

        CommandRun result = check("dest.test");

        assertThat(result.out()).contains("The relay's cache (" + dir.resolve("mta-sts") + ")")
                .contains("  id 20261130, fetched 2026-12-01T00:00:00Z, expires 2026-12-02T00:00:00Z: mode enforce,"
                        + " max_age 86400 s, mx mx-old.dest.test")
                .contains("  -> STALE: none of the MX hosts matches the cached policy, the live one does; the relay"
                        + " fetches the policy again at the next delivery and adopts the live one");

        cache("20261130", "mx-new.dest.test", "*.dest.test");
        assertThat(check("dest.test").out()).contains("  -> STALE: the domain changed its policy without a new id;");
        cache("20261130", "mx-new.dest.test");
        assertThat(check("dest.test").out()).contains("  -> the same as the live policy");
        cache("20251130", "mx-new.dest.test");
        assertThat(check("dest.test").out()).contains("  -> older than the live policy (id 20251130, live id 20261130)");
    }

    /** A policy in the relay's cache directory, as the relay stores it. */
    private void cache(String id, String... mxHosts) throws Exception {
        StringBuilder policy = new StringBuilder("version: STSv1\r\nmode: enforce\r\n");
        for (String host : mxHosts) {
            policy.append("mx: ").append(host).append("\r\n");
        }
        policy.append("max_age: 86400\r\n");
        Files.createDirectories(dir.resolve("mta-sts"));
        Files.writeString(dir.resolve("mta-sts").resolve("dest.test.json"), new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValueAsString(java.util.Map.of("format", 1, "domain", "dest.test", "id", id,
                        "policy", policy.toString(), "fetchedAt", "2026-12-01T00:00:00Z")));
    }


    private CommandRun check(String domain) throws Exception {
        return peers.check("mta-sts", domain, "", ", cache-directory: " + dir.resolve("mta-sts"));
    }
}
