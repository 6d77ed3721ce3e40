package dev.relay.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * {@code %isoTime} in {@code config/logback.xml}: the line's time as
 * {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX}} writes it (local time, milliseconds, UTC offset),
 * character for character. Logback's date converter remembers only the last millisecond, so
 * a busy relay (three lines per message, a few thousand lines a second) had every line's date
 * formatted afresh by {@link DateTimeFormatter}, half of what laying out a line cost. This one
 * formats each second once and appends the milliseconds.
 */
public final class IsoTimestampConverter extends ClassicConverter {

    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("XXX");

    /** The text of one second: before the milliseconds, and the UTC offset after them. */
    private record Second(long epochSecond, String head, String offset) {}

    private final ZoneId zone;
    /** The last second formatted; lines come from several threads, each reads it once. */
    private volatile Second last = new Second(Long.MIN_VALUE, "", "");

    /** Local time, as Logback's own date converter without a time-zone option. */
    public IsoTimestampConverter() {
        this(ZoneId.systemDefault());
    }

    IsoTimestampConverter(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String convert(ILoggingEvent event) {
        return format(event.getTimeStamp());
    }

    String format(long epochMilli) {
        long epochSecond = Math.floorDiv(epochMilli, 1000);
        int millis = Math.floorMod(epochMilli, 1000);
        Second second = last;
        if (second.epochSecond() != epochSecond) {
            var at = Instant.ofEpochSecond(epochSecond).atZone(zone);
            second = new Second(epochSecond, SECOND.format(at), OFFSET.format(at));
            last = second;
        }
        StringBuilder text = new StringBuilder(second.head().length() + 3 + second.offset().length());
        text.append(second.head());
        if (millis < 100) {
            text.append('0');
        }
        if (millis < 10) {
            text.append('0');
        }
        return text.append(millis).append(second.offset()).toString();
    }
}
