package dev.relay.mtasts;

import static dev.relay.mtasts.StsWorld.policy;
import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.dns.DnsResolver;
import dev.relay.mtasts.testkit.TestPolicyServer.Response;
import dev.relay.settings.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyStoreTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String ENFORCE = policy("enforce", 86400, "mx1.example.test");

    @TempDir
    Path directory;

    private static CachedPolicy cached(String domain, String id, Instant at, String text) {
        PolicyParse.Valid valid = (PolicyParse.Valid) PolicyParser.parse(text);
        return new CachedPolicy(domain, id, at, text, valid.policy());
    }

    @Test
    void aSavedPolicyLoadsBackAsItWas() throws IOException {
        PolicyStore store = PolicyStore.open(directory);
        String crlf = ENFORCE.replace("\n", "\r\n");
        store.save(cached("example.test", "20260301", T0, crlf));

        List<CachedPolicy> loaded = PolicyStore.open(directory).load(T0.plusSeconds(60));

        assertThat(loaded).singleElement().satisfies(p -> {
            assertThat(p.domain()).isEqualTo("example.test");
            assertThat(p.id()).isEqualTo("20260301");
            assertThat(p.fetchedAt()).isEqualTo(T0);
            assertThat(p.text()).isEqualTo(crlf);
            assertThat(p.policy().mode()).isEqualTo(PolicyMode.ENFORCE);
            assertThat(p.expiresAt()).isEqualTo(T0.plusSeconds(86400));
        });
    }

    @Test
    void aSaveReplacesTheOldFileAndLeavesNoTemporaryFiles() throws IOException {
        PolicyStore store = PolicyStore.open(directory);
        store.save(cached("example.test", "1", T0, ENFORCE));
        store.save(cached("example.test", "2", T0.plusSeconds(5), policy("testing", 600, "mx2.example.test")));

        assertThat(store.load(T0.plusSeconds(10))).singleElement()
                .satisfies(p -> assertThat(p.id()).isEqualTo("2"));
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("example.test.json");
        }
    }

    @Test
    void expiredPoliciesAreDroppedAndTheirFilesDeleted() throws IOException {
        PolicyStore store = PolicyStore.open(directory);
        store.save(cached("old.test", "1", T0, policy("enforce", 3600, "mx.old.test")));
        store.save(cached("fresh.test", "1", T0, ENFORCE));

        List<CachedPolicy> loaded = store.load(T0.plusSeconds(3600));

        assertThat(loaded).extracting(CachedPolicy::domain).containsExactly("fresh.test");
        assertThat(store.fileFor("old.test")).doesNotExist();
    }

    @Test
    void pruneDeletesOnlyExpiredFiles() throws IOException {
        PolicyStore store = PolicyStore.open(directory);
        store.save(cached("old.test", "1", T0, policy("enforce", 3600, "mx.old.test")));
        store.save(cached("fresh.test", "1", T0, ENFORCE));

        assertThat(store.prune(T0.plusSeconds(7200))).isEqualTo(1);
        assertThat(store.fileFor("old.test")).doesNotExist();
        assertThat(store.fileFor("fresh.test")).exists();
    }

    @Test
    void corruptFilesAreSetAsideAndTheRestLoads() throws IOException {
        PolicyStore store = PolicyStore.open(directory);
        store.save(cached("good.test", "1", T0, ENFORCE));
        Files.writeString(directory.resolve("garbage.test.json"), "{\"format\": 1, \"domain\": \"garb");
        Files.writeString(directory.resolve("binary.test.json"), "\u0000\u0001\u0002");
        Files.writeString(directory.resolve("future.test.json"), "{\"format\": 99}");
        Files.writeString(directory.resolve("noid.test.json"),
                "{\"format\":1,\"domain\":\"noid.test\",\"fetchedAt\":\"2026-03-01T10:00:00Z\",\"policy\":\"x\"}");
        Files.writeString(directory.resolve("badtime.test.json"),
                "{\"format\":1,\"domain\":\"badtime.test\",\"id\":\"1\",\"fetchedAt\":\"yesterday\",\"policy\":\"x\"}");
        Files.writeString(directory.resolve("invalid.test.json"), json("invalid.test",
                "version: STSv1\\nmode: enforce\\nmax_age: 86400\\n"));
        Files.writeString(directory.resolve("elsewhere.test.json"), json("moved.test", ENFORCE.replace("\n", "\\n")));

        List<CachedPolicy> loaded = store.load(T0.plusSeconds(60));

        assertThat(loaded).extracting(CachedPolicy::domain).containsExactly("good.test");
        for (String bad : List.of("garbage", "binary", "future", "noid", "badtime", "invalid", "elsewhere")) {
            assertThat(directory.resolve(bad + ".test.json")).doesNotExist();
            assertThat(directory.resolve(bad + ".test.json.corrupt")).exists();
        }
        assertThat(store.load(T0.plusSeconds(60))).hasSize(1); // set aside once, never read again
    }

    @Test
    void namesThatAreNotPlainDomainsGetAHashedFileName() throws IOException {
        PolicyStore store = PolicyStore.open(directory);
        String odd = "../../etc/passwd";
        store.save(cached(odd, "1", T0, ENFORCE));

        assertThat(store.fileFor(odd).getParent()).isEqualTo(directory);
        assertThat(store.fileFor(odd).getFileName().toString()).startsWith("sha256-").endsWith(".json");
        assertThat(store.fileFor("a".repeat(250) + ".test").getFileName().toString()).startsWith("sha256-");
        assertThat(store.load(T0)).extracting(CachedPolicy::domain).containsExactly(odd);
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAConfigError() throws IOException {
        Path file = Files.writeString(directory.resolve("a-file"), "x");

        assertThatThrownBy(() -> PolicyStore.open(file.resolve("sub")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("mta-sts.cache-directory: ");
    }

    @Test
    void aRestartWithThePolicyHostDownStillEnforcesTheCachedPolicy() {
        try (StsWorld world = new StsWorld(directory)) {
            world.publish("example.test", "1", ENFORCE);
            MtaStsPolicies before = world.service();
            Instant fetchedAt = world.clock.instant();
            assertThat(result(before.policyFor("example.test"))).isInstanceOf(DomainPolicy.Active.class);
            before.close();
            world.server.domain("example.test").respond(Response.status(503));
            world.clock.advance(Duration.ofHours(1));

            MtaStsPolicies after = world.service();
            DomainPolicy lookup = result(after.policyFor("example.test"));
            world.txt("example.test", "2"); // even a new id that cannot be fetched changes nothing
            DomainPolicy withNewId = result(after.policyFor("example.test"));

            for (DomainPolicy l : List.of(lookup, withNewId)) {
                assertThat(l).isInstanceOfSatisfying(DomainPolicy.Active.class, active -> {
                    assertThat(active.policy().mode()).isEqualTo(PolicyMode.ENFORCE);
                    assertThat(active.id()).isEqualTo("1");
                    assertThat(active.fetchedAt()).isEqualTo(fetchedAt);
                    assertThat(active.fromCache()).isTrue();
                });
            }
        }
    }

    @Test
    void aRestartWithNoPolicyServerAtAllStillEnforces() throws IOException {
        try (StsWorld world = new StsWorld(directory)) {
            world.publish("example.test", "1", ENFORCE);
            result(world.service().policyFor("example.test"));
            int deadPort;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                deadPort = probe.getLocalPort();
            }
            world.txt("example.test", "2"); // a new id: the fetch is tried, and fails
            DnsResolver resolver = world.resolver();

            MtaStsPolicies after = world.service(resolver, world.fetcher(resolver, deadPort));

            assertThat(result(after.policyFor("example.test"))).isInstanceOfSatisfying(DomainPolicy.Active.class,
                    active -> assertThat(active.policy().mode()).isEqualTo(PolicyMode.ENFORCE));
            assertThat(world.events.fetched).containsExactly("ok", "connect_error");
        }
    }

    @Test
    void aCorruptFileDoesNotStopTheServiceFromStarting() throws IOException {
        Files.writeString(directory.resolve("broken.test.json"), "not json at all");
        try (StsWorld world = new StsWorld(directory)) {
            world.publish("broken.test", "1", ENFORCE);

            MtaStsPolicies service = world.service();

            assertThat(result(service.policyFor("broken.test"))).isInstanceOfSatisfying(DomainPolicy.Active.class,
                    active -> assertThat(active.fromCache()).isFalse());
            assertThat(directory.resolve("broken.test.json.corrupt")).exists();
        }
    }

    private static String json(String domain, String escapedPolicy) {
        return "{\"format\":1,\"domain\":\"" + domain + "\",\"id\":\"1\",\"fetchedAt\":\"2026-03-01T10:00:00Z\",\"policy\":\""
                + escapedPolicy + "\"}";
    }
}
