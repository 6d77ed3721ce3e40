package dev.relay.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TlsaRecordsTest {

    private static final byte[] SHA256 = new byte[32];
    private static final byte[] SHA512 = new byte[64];
    private static final byte[] KEY = {0x30, 0x59, 0x30, 0x13};

    static Stream<Arguments> unusableRecords() {
        return Stream.of(
                Arguments.of(new TlsaRecord(0, 0, 1, SHA256), "PKIX-TA(0) is not used for SMTP"),
                Arguments.of(new TlsaRecord(1, 1, 1, SHA256), "PKIX-EE(1) is not used for SMTP"),
                Arguments.of(new TlsaRecord(4, 1, 1, SHA256), "unknown certificate usage 4"),
                Arguments.of(new TlsaRecord(255, 1, 1, SHA256), "unknown certificate usage 255"),
                Arguments.of(new TlsaRecord(3, 2, 1, SHA256), "unknown selector 2"),
                Arguments.of(new TlsaRecord(2, 255, 0, KEY), "unknown selector 255"),
                Arguments.of(new TlsaRecord(3, 1, 3, SHA256), "unknown matching type 3"),
                Arguments.of(new TlsaRecord(3, 1, 1, SHA512), "a SHA-256 digest is 32 bytes, this one has 64"),
                Arguments.of(new TlsaRecord(2, 0, 2, SHA256), "a SHA-512 digest is 64 bytes, this one has 32"),
                Arguments.of(new TlsaRecord(3, 1, 0, new byte[0]), "no certificate association data"));
    }

    @ParameterizedTest
    @MethodSource("unusableRecords")
    void aRecordTheRelayCannotUseMakesTlsMandatoryWithoutAuthentication(TlsaRecord record, String why) {
        TlsaRecords set = TlsaRecords.classify(List.of(record));

        assertThat(set).isInstanceOf(TlsaRecords.OnlyUnusable.class);
        List<TlsaRecords.Unusable> ignored = ((TlsaRecords.OnlyUnusable) set).ignored();
        assertThat(ignored).singleElement().satisfies(u -> {
            assertThat(u.record()).isEqualTo(record);
            assertThat(u.why()).contains(why);
        });
    }

    static Stream<TlsaRecord> usableRecords() {
        return Stream.of(new TlsaRecord(3, 0, 0, KEY), new TlsaRecord(3, 1, 1, SHA256), new TlsaRecord(3, 0, 2, SHA512),
                new TlsaRecord(2, 1, 0, KEY), new TlsaRecord(2, 0, 1, SHA256), new TlsaRecord(2, 1, 2, SHA512));
    }

    @ParameterizedTest
    @MethodSource("usableRecords")
    void daneEeAndDaneTaWithKnownSelectorsAndMatchingTypesAreUsable(TlsaRecord record) {
        assertThat(TlsaRecords.classify(List.of(record))).isEqualTo(new TlsaRecords.Usable(List.of(record), List.of()));
    }

    @Test
    void usableRecordsAmongUnusableOnesAreKeptAndTheOthersListed() {
        TlsaRecord pkix = new TlsaRecord(1, 1, 1, SHA256);
        TlsaRecord ee = new TlsaRecord(3, 1, 1, SHA256);
        TlsaRecord duplicate = new TlsaRecord(3, 1, 1, SHA256.clone());

        TlsaRecords set = TlsaRecords.classify(List.of(pkix, ee, duplicate));

        assertThat(set).isInstanceOf(TlsaRecords.Usable.class);
        TlsaRecords.Usable usable = (TlsaRecords.Usable) set;
        assertThat(usable.records()).containsExactly(ee);
        assertThat(usable.ignored()).extracting(TlsaRecords.Unusable::record).containsExactly(pkix);
    }

    @Test
    void anEmptySetIsNoDane() {
        assertThat(TlsaRecords.classify(List.of())).isEqualTo(new TlsaRecords.None());
    }

    @Test
    void recordsCompareByContentAndKeepTheirDataToThemselves() {
        byte[] data = {1, 2, 3};
        TlsaRecord record = new TlsaRecord(3, 1, 0, data);
        data[0] = 9;
        record.data()[1] = 9;

        assertThat(record).isEqualTo(new TlsaRecord(3, 1, 0, new byte[] {1, 2, 3}));
        assertThat(record.hashCode()).isEqualTo(new TlsaRecord(3, 1, 0, new byte[] {1, 2, 3}).hashCode());
        assertThat(record).isNotEqualTo(new TlsaRecord(3, 1, 1, new byte[] {1, 2, 3}));
        assertThat(record).hasToString("3 1 0 010203");
    }

    @Test
    void fieldsOutsideAnOctetAreRefused() {
        assertThatThrownBy(() -> new TlsaRecord(256, 0, 0, KEY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TlsaRecord(3, -1, 0, KEY)).isInstanceOf(IllegalArgumentException.class);
    }
}
