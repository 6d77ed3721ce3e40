package dev.relay.label;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.outcome.AppliedPolicy;
import dev.relay.outcome.Cause;
import dev.relay.queue.WriteFailure;
import org.junit.jupiter.api.Test;

class EnumLabelsTest {

    @Test
    void dashedLabelsAreTheNamesInLowerCaseWithDashes() {
        assertThat(Cause.CERTIFICATE_HOST_MISMATCH.label()).isEqualTo("certificate-host-mismatch");
        assertThat(Cause.SMTPUTF8_UNSUPPORTED.label()).isEqualTo("smtputf8-unsupported");
        assertThat(AppliedPolicy.MTA_STS_ENFORCE.label()).isEqualTo("mta-sts-enforce");
        assertThat(AppliedPolicy.DANE.label()).isEqualTo("dane");
    }

    @Test
    void lowerCaseLabelsKeepTheUnderscores() {
        assertThat(WriteFailure.NO_SPACE.label()).isEqualTo("no_space");
        assertThat(EnumLabels.LOWER_CASE.of(Cause.NULL_MX)).isEqualTo("null_mx");
    }

    @Test
    void everyLabelLeadsBackToItsConstant() {
        for (Cause cause : Cause.values()) {
            assertThat(Cause.fromLabel(cause.label())).contains(cause);
        }
        for (AppliedPolicy policy : AppliedPolicy.values()) {
            assertThat(AppliedPolicy.fromLabel(policy.label())).contains(policy);
        }
        assertThat(EnumLabels.LOWER_CASE.find(WriteFailure.class, "io_error")).contains(WriteFailure.IO_ERROR);
    }

    @Test
    void aLookupIsExactAndFindsNothingElse() {
        assertThat(Cause.fromLabel("CERTIFICATE-EXPIRED")).isEmpty();
        assertThat(Cause.fromLabel("certificate_expired")).isEmpty();
        assertThat(Cause.fromLabel(null)).isEmpty();
        assertThat(AppliedPolicy.fromLabel("")).isEmpty();
    }
}
