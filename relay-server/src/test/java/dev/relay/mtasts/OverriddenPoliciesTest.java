package dev.relay.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.outcome.AppliedPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What each kind of override makes of the policy a domain publishes. */
class OverriddenPoliciesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Policy ENFORCE = new Policy(PolicyMode.ENFORCE, List.of(new MxPattern("mx.dest.test")),
            Duration.ofDays(7));

    private static PolicyOverride override(PolicyMode mode, String... mx) {
        return new PolicyOverride("dest.test", mode, java.util.Arrays.stream(mx).map(MxPattern::new).toList(),
                Optional.of(NOW.plus(Duration.ofDays(1))), "why", new PolicyOverride.FromConfig(0));
    }

    private static DomainPolicy resolve(DomainPolicy published, Optional<PolicyOverride> override) {
        DomainPolicies source = domain -> CompletableFuture.completedFuture(published);
        return new OverriddenPolicies(source, (domain, now) -> domain.equals("dest.test") ? override : Optional.empty(),
                CLOCK).policyFor("dest.test").toCompletableFuture().join();
    }

    private static DomainPolicy.Active published() {
        return new DomainPolicy.Active("dest.test", ENFORCE, "1", NOW, NOW.plus(Duration.ofDays(7)), false);
    }

    @Test
    void withoutAnOverrideThePublishedPolicyIsAppliedAsIs() {
        assertThat(resolve(published(), Optional.empty())).isEqualTo(published());
    }

    @Test
    void anEnforceOverrideIsAnEnforcedPolicyOfItsOwnWhateverIsPublished() {
        PolicyOverride require = override(PolicyMode.ENFORCE, "*.partner.test");
        DomainPolicy applied = resolve(DomainPolicy.none(), Optional.of(require));
        assertThat(applied).isInstanceOfSatisfying(DomainPolicy.Active.class, active -> {
            assertThat(active.enforced()).isTrue();
            assertThat(active.id()).isEqualTo(OverriddenPolicies.OVERRIDE_ID);
            assertThat(active.override()).contains(require);
            assertThat(active.expiresAt()).isEqualTo(require.until().orElseThrow());
        });
        assertThat(applied.forHost("a.partner.test")).isInstanceOf(HostVerdict.Allowed.class);
        assertThat(applied.forHost("mx.elsewhere.test")).isInstanceOf(HostVerdict.Refused.class);
        assertThat(applied.applied()).isEqualTo(AppliedPolicy.MTA_STS_ENFORCE);
    }

    @Test
    void aSuspensionAppliesThePublishedPolicyAsTestingAndSaysSo() {
        PolicyOverride suspend = override(PolicyMode.TESTING);
        DomainPolicy applied = resolve(published(), Optional.of(suspend));
        assertThat(applied).isInstanceOfSatisfying(DomainPolicy.Active.class, active -> {
            assertThat(active.policy().mode()).isEqualTo(PolicyMode.TESTING);
            assertThat(active.policy().mx()).isEqualTo(ENFORCE.mx());
            assertThat(active.id()).isEqualTo("1");
            assertThat(active.override()).contains(suspend);
        });
        assertThat(applied.applied()).isEqualTo(AppliedPolicy.MTA_STS_TESTING);
        assertThat(applied.forHost("mx.other.test")).as("mail goes; the mismatch is still reported")
                .isInstanceOfSatisfying(HostVerdict.Allowed.class, allowed -> assertThat(allowed.policyMatched()).isFalse());
        assertThat(resolve(new DomainPolicy.Unavailable("SERVFAIL"), Optional.of(suspend)))
                .as("an unknown policy does not hold the mail during a suspension")
                .isInstanceOfSatisfying(DomainPolicy.NoPolicy.class, none -> assertThat(none.why())
                        .contains("SERVFAIL").contains("MTA-STS enforcement suspended by local override (config: why)"));
    }

    @Test
    void modeNoneIgnoresThePublishedPolicy() {
        assertThat(resolve(published(), Optional.of(override(PolicyMode.NONE))))
                .isEqualTo(new DomainPolicy.NoPolicy("MTA-STS policy ignored by local override (config: why)"));
    }
}
