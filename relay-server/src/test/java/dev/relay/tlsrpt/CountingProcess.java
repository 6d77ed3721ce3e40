package dev.relay.tlsrpt;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A relay stand-in for {@link SigkillTest}: records one session every few milliseconds into
 * durable counters and prints the running total after each, until it is killed.
 */
public final class CountingProcess {

    static final String PREFIX = "recorded ";

    private CountingProcess() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Duration saveEvery = Duration.ofMillis(Long.parseLong(args[1]));
        DurableCounters counters = DurableCounters.open(dir, Clock.systemUTC(), CounterLimits.DEFAULT, saveEvery);
        long recorded = 0;
        while (true) {
            counters.record(Sessions.ok("example.com"));
            recorded++;
            System.out.println(PREFIX + recorded);
            System.out.flush();
            Thread.sleep(2);
        }
    }
}
