package dev.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.dane.TlsaRecord;
import dev.relay.dane.TlsaRecords;
import dev.relay.mtasts.HostVerdict;
import dev.relay.outcome.AppliedPolicy;
import dev.relay.outcome.Cause;
import dev.relay.tls.TlsRequirement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The precedence of DANE over MTA-STS, host by host, as a table. */
class HostPlanTest {

    private static final TlsaRecord EE = new TlsaRecord(3, 1, 1, new byte[32]);
    private static final TlsaRecord PKIX = new TlsaRecord(1, 1, 1, new byte[32]);
    private static final DaneHost VERIFY = new DaneHost.Verify((TlsaRecords.Usable) TlsaRecords.classify(List.of(EE)),
            "_25._tcp.mx.example", List.of("mx.example"));
    private static final DaneHost ENCRYPT = new DaneHost.EncryptOnly(
            (TlsaRecords.OnlyUnusable) TlsaRecords.classify(List.of(PKIX)), "_25._tcp.mx.example");
    private static final DaneHost BOGUS = new DaneHost.Unverifiable("the TLSA records fail DNSSEC validation");
    private static final DaneHost NONE = new DaneHost.NotApplicable("the MX lookup is not DNSSEC-secure");
    private static final HostVerdict STS_VERIFIED = new HostVerdict.Allowed(TlsRequirement.REQUIRED_VERIFIED, true);
    private static final HostVerdict STS_REFUSED = new HostVerdict.Refused("not listed");
    private static final HostVerdict OPPORTUNISTIC = new HostVerdict.Allowed(TlsRequirement.OPPORTUNISTIC, true);

    @Test
    void usableTlsaRecordsGovernTheHostWhateverMtaStsSays() {
        for (HostVerdict sts : List.of(STS_VERIFIED, STS_REFUSED, OPPORTUNISTIC)) {
            HostPlan plan = HostPlan.of(VERIFY, sts, AppliedPolicy.MTA_STS_ENFORCE);
            assertThat(plan).isInstanceOfSatisfying(HostPlan.Connect.class, c -> {
                assertThat(c.policy()).isEqualTo(AppliedPolicy.DANE);
                assertThat(c.tls()).isEqualTo(TlsRequirement.REQUIRED_VERIFIED);
                assertThat(c.check()).contains(new DaneCheck(((DaneHost.Verify) VERIFY).records(), List.of("mx.example")));
                assertThat(c.policyMatched()).isTrue();
            });
        }
    }

    @Test
    void bogusTlsaRecordsSkipTheHostEvenWhenMtaStsWouldAllowIt() {
        assertThat(HostPlan.of(BOGUS, STS_VERIFIED, AppliedPolicy.MTA_STS_ENFORCE)).isEqualTo(
                new HostPlan.Skip(AppliedPolicy.DANE, Cause.DNSSEC_INVALID, "the TLSA records fail DNSSEC validation"));
        assertThat(HostPlan.of(BOGUS, OPPORTUNISTIC, AppliedPolicy.NONE)).isInstanceOf(HostPlan.Skip.class);
    }

    @Test
    void onlyUnusableRecordsMakeTlsMandatoryUnlessAnEnforcedPolicyAsksForMore() {
        assertThat(HostPlan.of(ENCRYPT, OPPORTUNISTIC, AppliedPolicy.NONE)).isEqualTo(
                new HostPlan.Connect(TlsRequirement.REQUIRED, java.util.Optional.empty(), AppliedPolicy.DANE_ENCRYPT, true));
        assertThat(HostPlan.of(ENCRYPT, OPPORTUNISTIC, AppliedPolicy.MTA_STS_TESTING))
                .isInstanceOfSatisfying(HostPlan.Connect.class, c -> assertThat(c.policy()).isEqualTo(AppliedPolicy.DANE_ENCRYPT));
        assertThat(HostPlan.of(ENCRYPT, STS_VERIFIED, AppliedPolicy.MTA_STS_ENFORCE)).isEqualTo(
                new HostPlan.Connect(TlsRequirement.REQUIRED_VERIFIED, java.util.Optional.empty(),
                        AppliedPolicy.MTA_STS_ENFORCE, true));
        assertThat(HostPlan.of(ENCRYPT, STS_REFUSED, AppliedPolicy.MTA_STS_ENFORCE)).isEqualTo(
                new HostPlan.Skip(AppliedPolicy.MTA_STS_ENFORCE, Cause.MX_MISMATCH, "not listed"));
    }

    @Test
    void withoutDaneMtaStsDecidesAsItAlwaysDid() {
        assertThat(HostPlan.of(NONE, STS_REFUSED, AppliedPolicy.MTA_STS_ENFORCE)).isEqualTo(
                new HostPlan.Skip(AppliedPolicy.MTA_STS_ENFORCE, Cause.MX_MISMATCH, "not listed"));
        assertThat(HostPlan.of(NONE, new HostVerdict.Allowed(TlsRequirement.OPPORTUNISTIC, false),
                AppliedPolicy.MTA_STS_TESTING)).isEqualTo(new HostPlan.Connect(TlsRequirement.OPPORTUNISTIC,
                java.util.Optional.empty(), AppliedPolicy.MTA_STS_TESTING, false));
    }

    @Test
    void onlyDaneAndEnforcedMtaStsAreAuthenticated() {
        assertThat(List.of(AppliedPolicy.values())).filteredOn(AppliedPolicy::authenticated)
                .containsExactlyInAnyOrder(AppliedPolicy.DANE, AppliedPolicy.MTA_STS_ENFORCE);
        assertThat(List.of(AppliedPolicy.values())).filteredOn(AppliedPolicy::isDane)
                .containsExactlyInAnyOrder(AppliedPolicy.DANE, AppliedPolicy.DANE_ENCRYPT);
    }
}
