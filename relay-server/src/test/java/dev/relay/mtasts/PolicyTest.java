package dev.relay.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class PolicyTest {

    private static final List<MxPattern> MX = List.of(new MxPattern("mail.example.com"), new MxPattern("*.example.net"));

    @Test
    void refusesWhatNoValidPolicyFileCanSay() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Policy(PolicyMode.ENFORCE, List.of(), Duration.ofDays(1)))
                .withMessageContaining("mode enforce needs at least one mx");
        assertThatIllegalArgumentException().isThrownBy(() -> new Policy(PolicyMode.TESTING, List.of(), Duration.ofDays(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> new Policy(PolicyMode.ENFORCE, MX, Duration.ofSeconds(-1)));
        assertThatIllegalArgumentException().isThrownBy(() -> new Policy(PolicyMode.ENFORCE, MX, Duration.ofSeconds(31_557_601)));
        assertThat(new Policy(PolicyMode.NONE, List.of(), Duration.ZERO).mx()).isEmpty();
    }

    @Test
    void matchesAnyPatternAndShowsThemInOrder() {
        Policy policy = new Policy(PolicyMode.ENFORCE, MX, Duration.ofDays(1));

        assertThat(policy.matchesMx("MAIL.example.com.")).isTrue();
        assertThat(policy.matchesMx("mx7.example.net")).isTrue();
        assertThat(policy.matchesMx("mx7.example.org")).isFalse();
        assertThat(policy.mxText()).isEqualTo("mail.example.com, *.example.net");
    }

    @ParameterizedTest
    @EnumSource(PolicyMode.class)
    void itsTextParsesBackToItselfWithoutWarnings(PolicyMode mode) {
        Policy policy = new Policy(mode, MX, Duration.ofSeconds(604_800));

        assertThat(policy.toText()).startsWith("version: STSv1\r\nmode: " + mode.label() + "\r\n");
        assertThat(PolicyParser.parse(policy.toText())).isEqualTo(new PolicyParse.Valid(policy, List.of()));
    }

    @ParameterizedTest
    @CsvSource({"ENFORCE, enforce", "TESTING, testing", "NONE, none"})
    void modesHaveTheirPolicyFileLabels(PolicyMode mode, String label) {
        assertThat(mode.label()).isEqualTo(label);
        assertThat(PolicyMode.fromLabel(label)).contains(mode);
        assertThat(PolicyMode.fromLabel(label.toUpperCase(java.util.Locale.ROOT))).isEmpty();
    }

    @ParameterizedTest(name = "{1} for {0}: {2}")
    @CsvSource({"mx, nmx, nmx", "mx, MX, MX", "mx, mxx, mxx", "mx, foo, ''", "mx, mode, ''",
            "max_age, max-age, max-age", "max_age, maxage, maxage", "max_age, age, ''", "mode, Mode, Mode",
            "mode, mdoe, ''", "version, Version, Version", "version, vers, ''"})
    void nearMissKeys(String wanted, String found, String expected) {
        assertThat(NearMiss.find(wanted, List.of("comment", found)).orElse("")).isEqualTo(expected);
    }
}
