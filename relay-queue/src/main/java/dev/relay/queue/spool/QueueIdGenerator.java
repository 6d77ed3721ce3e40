package dev.relay.queue.spool;

import dev.relay.queue.QueueId;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;

/**
 * Queue ids: 9 base-32 digits of epoch milliseconds, 7 of a random salt chosen per generator,
 * 4 of a counter within the millisecond (20 characters). Ids sort by creation time; the salt
 * keeps two runs apart (a restart within the same millisecond, a clock set back, a test clock
 * that never moves), and the counter keeps one run's ids apart.
 */
final class QueueIdGenerator {

    private static final char[] DIGITS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int COUNTER_LIMIT = 1 << 20;

    private final Clock clock;
    private final String salt;
    private long lastMillis = -1;
    private int counter;

    QueueIdGenerator(Clock clock) {
        this(clock, new SecureRandom());
    }

    QueueIdGenerator(Clock clock, Random random) {
        this.clock = clock;
        this.salt = base32(random.nextLong() & ((1L << 35) - 1), 7);
    }

    synchronized QueueId next() {
        long now = Math.max(0, clock.millis());
        if (now > lastMillis) {
            lastMillis = now;
            counter = 0;
        } else if (++counter == COUNTER_LIMIT) {
            // more than a million ids in one millisecond (or a clock that stands still): borrow the next
            lastMillis++;
            counter = 0;
        }
        return new QueueId(base32(lastMillis, 9) + salt + base32(counter, 4));
    }

    private static String base32(long value, int digits) {
        char[] text = new char[digits];
        for (int i = digits - 1; i >= 0; i--) {
            text[i] = DIGITS[(int) (value & 31)];
            value >>>= 5;
        }
        return new String(text);
    }
}
