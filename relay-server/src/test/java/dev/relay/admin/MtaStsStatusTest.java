package dev.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.mtasts.PolicyFailure;
import dev.relay.outcome.Cause;
import dev.relay.outcome.HostProblem;
import dev.relay.mtasts.PolicyMode;
import dev.relay.mtasts.PolicyStatus;
import dev.relay.queue.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MtaStsStatusTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final RecentEnforcementFailures failures = new RecentEnforcementFailures(clock, 3);

    @Test
    void policiesComeFromTheServiceSnapshotEachTime() {
        AtomicReference<List<PolicyStatus>> snapshot = new AtomicReference<>(List.of());
        MtaStsStatus status = new MtaStsStatus(snapshot::get, failures);
        assertThat(status.policies()).isEmpty();

        snapshot.set(List.of(
                new PolicyStatus("enforced.test", Optional.of(PolicyMode.ENFORCE), Optional.of("20260301"),
                        Optional.of(START), Optional.of(START.plus(Duration.ofDays(1))),
                        Optional.of(new PolicyStatus.LastFetch("ok", "mode enforce, max_age 86400", START))),
                new PolicyStatus("broken.test", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.of(new PolicyStatus.LastFetch("tls_error", "certificate expired", START))),
                new PolicyStatus("from-disk.test", Optional.of(PolicyMode.TESTING), Optional.of("1"), Optional.of(START),
                        Optional.of(START.plusSeconds(60)), Optional.empty())));

        assertThat(status.policies()).containsExactly(
                new MtaStsView.PolicyRow("enforced.test", Optional.of("enforce"), Optional.of(START.plus(Duration.ofDays(1))),
                        Optional.of(START), Optional.of("ok"), Optional.of("mode enforce, max_age 86400")),
                new MtaStsView.PolicyRow("broken.test", Optional.empty(), Optional.empty(), Optional.of(START),
                        Optional.of("tls_error"), Optional.of("certificate expired")),
                new MtaStsView.PolicyRow("from-disk.test", Optional.of("testing"), Optional.of(START.plusSeconds(60)),
                        Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void failuresAreKeptNewestFirstUpToTheCapacity() {
        MtaStsStatus status = new MtaStsStatus(List::of, failures);
        failures.policyFailed(new PolicyFailure("a.test", "mx.a.test", Cause.CERTIFICATE_EXPIRED, "expired 2026-01-01", true));
        clock.advance(Duration.ofSeconds(1));
        failures.policyFailed(new PolicyFailure("b.test", "mx.rogue.test", Cause.MX_MISMATCH, "", false));
        clock.advance(Duration.ofSeconds(1));
        failures.policyFailed(new PolicyFailure("c.test", "", Cause.STS_POLICY_UNAVAILABLE, "DNS SERVFAIL", true));
        clock.advance(Duration.ofSeconds(1));
        failures.policyFailed(new PolicyFailure("d.test", "mx.d.test", Cause.STARTTLS_NOT_SUPPORTED, "no STARTTLS", true));

        assertThat(status.recentFailures()).containsExactly(
                new MtaStsView.EnforcementFailureRow(START.plusSeconds(3), "d.test", "mx.d.test",
                        "starttls-not-supported: no STARTTLS"),
                new MtaStsView.EnforcementFailureRow(START.plusSeconds(2), "c.test", "(no MX: policy unknown)",
                        "policy unknown (deferred): DNS SERVFAIL"),
                new MtaStsView.EnforcementFailureRow(START.plusSeconds(1), "b.test", "mx.rogue.test",
                        "mx-mismatch (testing: delivered anyway)"));
    }

    @Test
    void daneFailuresAreListedBesideThemAndSuccessesAreNot() {
        MtaStsStatus status = new MtaStsStatus(List::of, failures);
        failures.daneChecked("signed.test", "mx.signed.test", Optional.empty());
        clock.advance(Duration.ofSeconds(1));
        failures.daneChecked("signed.test", "mx2.signed.test", Optional.of(new HostProblem("mx2.signed.test",
                Cause.TLSA_INVALID, "no usable TLSA record matches")));

        assertThat(status.recentFailures()).containsExactly(new MtaStsView.EnforcementFailureRow(START.plusSeconds(1),
                "signed.test", "mx2.signed.test", "DANE tlsa-invalid: no usable TLSA record matches"));
    }
}
