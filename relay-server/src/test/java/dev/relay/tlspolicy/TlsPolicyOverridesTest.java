package dev.relay.tlspolicy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.mtasts.MxPattern;
import dev.relay.mtasts.PolicyMode;
import dev.relay.mtasts.PolicyOverride;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Suspensions: bounded, kept on disk crash-safely, over the configuration's overrides, and they end. */
class TlsPolicyOverridesTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @TempDir
    Path spool;

    private static final class SettableClock extends Clock {
        Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static PolicyOverride require(String domain) {
        return new PolicyOverride(domain, PolicyMode.ENFORCE, List.of(MxPattern.parse("mx." + domain).orElseThrow()),
                Optional.empty(), "contract", new PolicyOverride.FromConfig(0));
    }

    @Test
    void aSuspensionWinsOverTheConfigurationUntilItEndsAndIsKeptAcrossARestart() throws Exception {
        SettableClock clock = new SettableClock();
        TlsPolicyOverrides overrides = TlsPolicyOverrides.open(spool, List.of(require("partner.test")), clock);
        assertThat(overrides.find("partner.test", T0)).map(PolicyOverride::mode).contains(PolicyMode.ENFORCE);

        overrides.suspend("partner.test", Duration.ofHours(2), " mx broken ", "ops");
        assertThat(overrides.find("partner.test", T0)).map(PolicyOverride::mode).contains(PolicyMode.TESTING);
        assertThat(overrides.countsByKind()).containsEntry("suspend", 1L).containsEntry("require", 1L);
        assertThat(Files.list(spool).map(p -> p.getFileName().toString()).toList())
                .as("written through a temporary file, renamed over").containsExactly("tls-policy-suspensions.json");

        clock.now = T0.plus(Duration.ofHours(1));
        TlsPolicyOverrides restarted = TlsPolicyOverrides.open(spool, List.of(), clock);
        PolicyOverride kept = restarted.active().getFirst();
        assertThat(kept.reason()).isEqualTo("mx broken");
        assertThat(kept.until()).contains(T0.plus(Duration.ofHours(2)));
        assertThat(kept.source()).isEqualTo(new PolicyOverride.Suspension("ops", T0));
        assertThat(TlsPolicyOverrides.remaining(kept, clock.instant())).isEqualTo("1h");

        clock.now = T0.plus(Duration.ofHours(2));
        assertThat(restarted.find("partner.test", clock.instant())).as("ended").isEmpty();
        assertThat(restarted.active()).isEmpty();
        assertThat(Files.readString(spool.resolve("tls-policy-suspensions.json"))).doesNotContain("partner.test");
    }

    @Test
    void aSuspensionEndsWithinThirtyDaysAndNeedsAReason() {
        TlsPolicyOverrides overrides = TlsPolicyOverrides.open(spool, List.of(), new SettableClock());
        assertThatThrownBy(() -> overrides.suspend("a.test", Duration.ofDays(31), "r", "ops"))
                .hasMessage("a suspension lasts more than 0s and at most 30d, not 31d");
        assertThatThrownBy(() -> overrides.suspend("a.test", Duration.ZERO, "r", "ops")).hasMessageContaining("at most 30d");
        assertThatThrownBy(() -> overrides.suspend("a.test", Duration.ofDays(1), " ", "ops"))
                .hasMessage("a suspension needs a reason");
        assertThat(overrides.suspend("a.test", Duration.ofDays(30), "r", "ops").until())
                .contains(T0.plus(Duration.ofDays(30)));
        assertThat(overrides.resume("a.test", "ops")).isPresent();
        assertThat(overrides.resume("a.test", "ops")).isEmpty();
    }

    @Test
    void anUnreadableFileStopsTheStartRatherThanLiftingSuspensionsSilently() throws Exception {
        Files.writeString(spool.resolve("tls-policy-suspensions.json"), "{not json");
        assertThatThrownBy(() -> TlsPolicyOverrides.open(spool, List.of(), new SettableClock()))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("is not a list of suspensions");
    }

    @Test
    void configurationOverridesAfterTheirEndNoLongerApply() {
        PolicyOverride ended = new PolicyOverride("old.test", PolicyMode.NONE, List.of(), Optional.of(T0), "r",
                new PolicyOverride.FromConfig(0));
        TlsPolicyOverrides overrides = TlsPolicyOverrides.open(spool, List.of(ended), new SettableClock());
        assertThat(overrides.find("old.test", T0.minusSeconds(1))).isPresent();
        assertThat(overrides.find("old.test", T0)).isEmpty();
        overrides.configure(List.of(require("new.test")));
        assertThat(overrides.active()).extracting(PolicyOverride::domain).containsExactly("new.test");
    }
}
