package dev.relay.mtasts;

import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh {@link StsWorld} and one service over it per test. */
abstract class PoliciesTestBase {

    @TempDir
    Path directory;

    StsWorld world;
    MtaStsPolicies policies;

    @BeforeEach
    void startWorld() {
        world = new StsWorld(directory);
        policies = world.service();
    }

    @AfterEach
    void stopWorld() {
        world.close();
    }

    DomainPolicy lookup(String domain) {
        return result(policies.policyFor(domain));
    }

    static DomainPolicy.Active active(DomainPolicy lookup) {
        assertThat(lookup).isInstanceOf(DomainPolicy.Active.class);
        return (DomainPolicy.Active) lookup;
    }
}
