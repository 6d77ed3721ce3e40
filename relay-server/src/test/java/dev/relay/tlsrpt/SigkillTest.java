package dev.relay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SIGKILL (no shutdown hook, no last save) loses at most the sessions of the last save interval
 * and one write: a child JVM counts sessions, is killed, and the file it left is read back.
 */
class SigkillTest {

    private static final Duration SAVE_EVERY = Duration.ofMillis(500);

    @TempDir
    Path dir;

    @Test
    void aKilledProcessLosesAtMostTheLastSaveInterval() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                CountingProcess.class.getName(), dir.toString(), Long.toString(SAVE_EVERY.toMillis()))
                .redirectError(dir.resolve("child.err").toFile()).start();
        AtomicLong printed = new AtomicLong();
        AtomicLong firstAt = new AtomicLong();
        AtomicLong printedAt = new AtomicLong();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!line.startsWith(CountingProcess.PREFIX)) {
                        continue; // a log line
                    }
                    printed.set(Long.parseLong(line.substring(CountingProcess.PREFIX.length())));
                    printedAt.set(System.nanoTime());
                    firstAt.compareAndSet(0, System.nanoTime());
                }
            } catch (IOException | NumberFormatException e) {
                // the child died mid-line: what was read stands
            }
        });
        try {
            // well past a few saves
            try {
                await().atMost(Duration.ofSeconds(30)).failFast(() -> !child.isAlive()).until(() -> printed.get() >= 1000);
            } catch (RuntimeException e) {
                throw new AssertionError("the child counted " + printed.get() + "; its stderr: "
                        + Files.readString(dir.resolve("child.err")), e);
            }
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            reader.join(5000);
            long recorded = printed.get();
            List<DayCounts> onDisk = CounterStore.open(dir, Clock.systemUTC()).load();
            long saved = onDisk.stream().flatMap(day -> day.domains().stream()).mapToLong(DomainCounts::successes).sum();
            long lost = recorded - saved;
            // the rate the child counted at turns the loss into time
            double perSecond = (recorded - 1) / ((printedAt.get() - firstAt.get()) / 1e9);
            double lostSeconds = lost / perSecond;
            System.out.printf("SIGKILL after %d sessions (%.0f/s): %d on disk, %d lost = %.2f s of counts (save every %d ms)%n",
                    recorded, perSecond, saved, lost, lostSeconds, SAVE_EVERY.toMillis());
            // one more than printed is possible: killed between counting a session and printing it
            assertThat(saved).isPositive().isLessThanOrEqualTo(recorded + 1);
            // the interval plus one write; the slack is for a busy two-core machine's scheduling
            assertThat(lostSeconds).isLessThanOrEqualTo(SAVE_EVERY.toMillis() / 1000.0 + 0.5);
        } finally {
            child.destroyForcibly();
        }
    }
}
