package dev.relay.queue.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.queue.MutableClock;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecordingQueueEvents;
import dev.relay.queue.RetrySchedule;
import dev.relay.queue.spool.SpoolQueue;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise, end to end: a separate JVM commits from several threads and is
 * killed with SIGKILL at random moments; after each kill every message it reported durable is
 * in the queue, byte for byte, exactly once, and every completion it reported stays done. The
 * child takes mail while it replays the spool the previous one left (paced by its own commits),
 * so most kills also come during a replay: messages taken then, and the old ones, survive too.
 */
class KillRecoveryTest {

    /** Each kill costs a JVM start (about a second on a busy 2-core machine); raise for a soak run. */
    private static final int KILLS = Integer.getInteger("kills", 12);

    @TempDir
    Path temp;

    @Test
    void everyAcknowledgedMessageSurvivesSigkillExactlyOnce() throws Exception {
        Path spool = temp.resolve("spool");
        Random random = new Random(42);
        Map<QueueId, Long> acknowledged = new HashMap<>();
        Set<QueueId> completed = new HashSet<>();
        long nextSeed = 1;
        int killsDuringReplay = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            // a quick-starting child: C1 only, serial GC, no logging backend
            Process child = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
                    "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                    "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider",
                    CrashingWriter.class.getName(), spool.toString(), Long.toString(nextSeed), "4")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int acksBeforeKill = 10 + random.nextInt(200);
            int acks = 0;
            boolean recovered = false;
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; acks < acksBeforeKill && (line = lines.readLine()) != null; ) {
                    String[] words = line.split(" ");
                    switch (words[0]) {
                        case "ACK" -> {
                            acknowledged.put(new QueueId(words[1]), Long.parseLong(words[2]));
                            acks++;
                        }
                        case "DONE" -> completed.add(new QueueId(words[1]));
                        case "RECOVERED" -> recovered = true;
                        case "ERROR" -> throw new AssertionError("child says: " + line);
                        default -> { } // READY, or a log line
                    }
                }
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                drain(child.getInputStream());
            }
            assertThat(acks).as("child ran until the kill").isEqualTo(acksBeforeKill);
            if (!recovered && kill > 0) {
                killsDuringReplay++;
            }
            nextSeed += 1_000_000;

            verify(spool, acknowledged, completed);
        }
        assertThat(killsDuringReplay).as("kills that came while the child still replayed the old spool")
                .isGreaterThan(KILLS / 3);
    }

    private static void verify(Path spool, Map<QueueId, Long> acknowledged, Set<QueueId> completed)
            throws Exception {
        RecordingQueueEvents events = new RecordingQueueEvents();
        try (SpoolQueue queue = SpoolQueue.open(spool, new QueueSettings(RetrySchedule.DEFAULT, 0, 0),
                CrashingWriter.TUNING, new MutableClock(Instant.now()), events)) {
            List<QueuedMessage> messages = queue.list();
            Set<Long> seeds = new HashSet<>();
            Set<QueueId> present = new HashSet<>();
            for (QueuedMessage message : messages) {
                long seed = CrashingWriter.seedOf(message.envelope());
                assertThat(seeds.add(seed)).as("message with seed %d appears once", seed).isTrue();
                present.add(message.id());
                try (InputStream body = queue.openBody(message.id())) {
                    assertThat(body.readAllBytes()).as("body of %s", message.id()).isEqualTo(CrashingWriter.body(seed));
                }
            }
            for (Map.Entry<QueueId, Long> entry : acknowledged.entrySet()) {
                QueueId id = entry.getKey();
                if (completed.contains(id)) {
                    assertThat(present.contains(id)).as("completed message %s stays completed", id).isFalse();
                } else if (!CrashingWriter.completes(entry.getValue())) {
                    // (a message the writer completes may have become complete just before the kill)
                    assertThat(present.contains(id)).as("acknowledged message %s is there", id).isTrue();
                }
            }
            assertThat(events.corrupt()).isEmpty();
        }
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException e) {
            // the child is gone
        }
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
