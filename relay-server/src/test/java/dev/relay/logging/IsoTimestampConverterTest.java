package dev.relay.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code %isoTime} writes exactly what {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX}} wrote before it
 * (Logback formats that pattern with {@link DateTimeFormatter} in the given zone), in the same
 * second, across seconds, across a change of UTC offset, and before 1970.
 */
class IsoTimestampConverterTest {

    private static final DateTimeFormatter LOGBACK = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private static String expected(long epochMilli, ZoneId zone) {
        return LOGBACK.format(Instant.ofEpochMilli(epochMilli).atZone(zone));
    }

    @Test
    void everyMillisecondOfASecondAndTheNextComesOutAsLogbacksPatternWritesIt() {
        for (ZoneId zone : List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"), ZoneId.of("America/St_Johns"),
                ZoneId.of("Asia/Kathmandu"))) {
            IsoTimestampConverter converter = new IsoTimestampConverter(zone);
            long start = Instant.parse("2026-12-07T03:30:11Z").toEpochMilli();
            for (long t = start - 5; t < start + 2_005; t++) {
                assertThat(converter.format(t)).as("%s at %d", zone, t).isEqualTo(expected(t, zone));
            }
        }
    }

    @Test
    void theOffsetFollowsASummerTimeChange() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        IsoTimestampConverter converter = new IsoTimestampConverter(berlin);
        // 2026-03-29 01:00 UTC: Berlin goes from +01:00 to +02:00
        long change = Instant.parse("2026-03-29T01:00:00Z").toEpochMilli();
        assertThat(converter.format(change - 1)).isEqualTo("2026-03-29T01:59:59.999+01:00");
        assertThat(converter.format(change)).isEqualTo("2026-03-29T03:00:00.000+02:00");
        assertThat(converter.format(change + 1)).isEqualTo(expected(change + 1, berlin));
    }

    @Test
    void timesInAnyOrderAndBeforeTheEpochAgree() {
        ZoneId zone = ZoneId.of("America/New_York");
        IsoTimestampConverter converter = new IsoTimestampConverter(zone);
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 20_000; i++) {
            long t = random.nextLong(-2_000_000_000_000L, 4_000_000_000_000L);
            assertThat(converter.format(t)).isEqualTo(expected(t, zone));
        }
        assertThat(converter.format(-1)).isEqualTo(expected(-1, zone));
        assertThat(new IsoTimestampConverter(ZoneId.of("UTC")).format(0)).isEqualTo("1970-01-01T00:00:00.000Z");
    }
}
