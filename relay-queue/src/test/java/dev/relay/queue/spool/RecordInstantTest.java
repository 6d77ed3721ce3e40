package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Time stamps in spool records read back as {@link Instant#parse} reads them, fast path or not. */
class RecordInstantTest {

    @Test
    void everyInstantReadsBackAsWritten() throws CorruptRecordException {
        Random random = new Random(8461);
        long from = Instant.parse("1970-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2400-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)),
                    random.nextInt(1_000_000_000));
            // whole seconds, milli-, micro- and nanoseconds: the four forms Instant.toString writes
            Instant written = switch (i % 4) {
                case 0 -> instant.truncatedTo(ChronoUnit.SECONDS);
                case 1 -> instant.truncatedTo(ChronoUnit.MILLIS);
                case 2 -> instant.truncatedTo(ChronoUnit.MICROS);
                default -> instant;
            };
            assertThat(RecordText.instant(written.toString())).as(written.toString()).isEqualTo(written);
        }
    }

    /** Odd and wrong forms go to {@link Instant#parse}: the same value, or refused as corrupt where it refuses. */
    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29T12:00:00Z", "2026-12-31T23:59:59.999Z", "0000-01-01T00:00:00Z",
        "2026-12-07T06:43:52.7Z", "2026-12-07T06:43:52.72Z", "+10000-01-01T00:00:00Z", "2026-12-07T06:43:52.123456789Z",
        "2026-12-07T24:00:00Z", "2026-12-07T06:43:52+01:00", "2026-12-07T06:43:52.Z", "2026-12-31T23:59:60Z",
        "2026-02-29T12:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
        "2026-12-07T25:00:00Z", "2026-12-07T23:60:00Z", "2026-12-07 06:43:52Z", "2026-12-07T06:43:5xZ",
        "2026-12-07T06:43:52.1234567890Z", "", "yesterday"})
    void readsAndRefusesWhatInstantParseDoes(String text) throws CorruptRecordException {
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (DateTimeParseException refused) {
            assertThatThrownBy(() -> RecordText.instant(text)).isInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("bad instant");
            return;
        }
        assertThat(RecordText.instant(text)).isEqualTo(expected);
    }

    @Test
    void theCommonFormsThatAreWrongAreRefused() {
        for (String text : new String[] {"2026-02-29T12:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-12-07T25:00:00Z", "2026-12-07T23:60:00Z", "2026-12-07T06:43:5xZ"}) {
            assertThatThrownBy(() -> RecordText.instant(text)).as(text).isInstanceOf(CorruptRecordException.class);
        }
    }
}
