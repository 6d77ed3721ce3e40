package dev.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1234, 1234",
        "10KB, 10240",
        "10kb, 10240",
        "10K, 10240",
        "10KiB, 10240",
        "50MB, 52428800",
        "50 MB, 52428800",
        "1GB, 1073741824",
        "2TB, 2199023255552",
        "7B, 7",
    })
    void sizes(String text, long bytes) {
        assertThat(Units.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MB", "-5MB", "1.5GB", "10XB", "99999999999TB", "ten"})
    void badSizes(String text) {
        assertThatThrownBy(() -> Units.parseSize(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "30s, PT30S",
        "5m, PT5M",
        "1h, PT1H",
        "5d, PT120H",
        "1h30m, PT1H30M",
        "0s, PT0S",
    })
    void durations(String text, Duration expected) {
        assertThat(Units.parseDuration(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5M", "5 m", "m", "1.5h", "1hh", "-1s", "5w", "h1"})
    void badDurations(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsAreShortestExactForms() {
        assertThat(Units.formatSize(52428800)).isEqualTo("50MB");
        assertThat(Units.formatSize(1000)).isEqualTo("1000");
        assertThat(Units.formatSize(0)).isEqualTo("0");
        assertThat(Units.formatSize(3L << 30)).isEqualTo("3GB");
        assertThat(Units.formatDuration(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Units.formatDuration(Duration.ofDays(5))).isEqualTo("5d");
        assertThat(Units.formatDuration(Duration.ofMillis(1500))).isEqualTo("1s500ms");
        assertThat(Units.formatDuration(Duration.ZERO)).isEqualTo("0s");
    }
}
