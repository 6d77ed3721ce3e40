package dev.relay.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsAndCountsTest {

    @Test
    void durationsReadAsInTheConfiguration() {
        assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofDays(5))).isEqualTo("5d");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofNanos(10))).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofSeconds(-30))).isEqualTo("-30s");
    }

    @Test
    void countsAgreeWithTheirNoun() {
        assertThat(Counts.of(1, "message")).isEqualTo("1 message");
        assertThat(Counts.of(0, "message")).isEqualTo("0 messages");
        assertThat(Counts.of(2, "message")).isEqualTo("2 messages");
        assertThat(Counts.of(1, "cached policy", "cached policies")).isEqualTo("1 cached policy");
        assertThat(Counts.of(3, "cached policy", "cached policies")).isEqualTo("3 cached policies");
    }
}
