package dev.relay.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The record value: the RFC 6698 field numbers, the 0..255 range, equality by content. */
class TlsaRecordTest {

    @Test
    void theFieldNumbersAreRfc6698s() {
        assertThat(TlsaRecord.Usage.DANE_TA.value()).isEqualTo(2);
        assertThat(TlsaRecord.Usage.DANE_EE.value()).isEqualTo(3);
        assertThat(TlsaRecord.Selector.CERT.value()).isZero();
        assertThat(TlsaRecord.Selector.SPKI.value()).isEqualTo(1);
        assertThat(TlsaRecord.Matching.FULL.value()).isZero();
        assertThat(TlsaRecord.Matching.SHA2_256.value()).isEqualTo(1);
        assertThat(TlsaRecord.Matching.SHA2_512.value()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({"-1,1,1", "256,1,1", "3,-1,1", "3,256,1", "3,1,-1", "3,1,256"})
    void eachFieldIsOneOctet(int usage, int selector, int matching) {
        assertThatThrownBy(() -> new TlsaRecord(usage, selector, matching, new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsAreEqualByContentAndOthersHashApart() {
        TlsaRecord a = new TlsaRecord(3, 1, 1, new byte[] {1, 2, 3});
        TlsaRecord same = new TlsaRecord(3, 1, 1, new byte[] {1, 2, 3});
        TlsaRecord other = new TlsaRecord(3, 1, 1, new byte[] {1, 2, 4});

        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other);
        assertThat(a.hashCode()).isNotEqualTo(other.hashCode());
        assertThat(new TlsaRecord(255, 255, 255, new byte[] {0}).usage()).isEqualTo(255);
    }
}
