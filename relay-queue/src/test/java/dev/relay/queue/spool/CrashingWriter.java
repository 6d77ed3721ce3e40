package dev.relay.queue.spool;

import dev.relay.outcome.TestOutcomes;

import dev.relay.outcome.Outcome;
import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.RetrySchedule;
import dev.relay.queue.spool.SpoolQueue;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process {@link KillRecoveryTest} kills: commits messages from several threads forever,
 * printing {@code ACK id seed} once a commit is durable and {@code DONE id} once a completion
 * is durable. The body and recipient of a message follow from its seed.
 *
 * <p>It opens the spool as the relay does, taking new mail while the old spool is replayed, and
 * paces that replay by its own commits ({@link #ACKS_PER_SEGMENT} of them per old segment), so
 * that most kills come while the replay is still running; {@code RECOVERED} says it finished.
 */
public final class CrashingWriter {

    static final SpoolTuning TUNING = new SpoolTuning(64 << 10, 8 << 10, 0.5);
    /** Commits this process makes before its replay may read each next old segment. */
    static final int ACKS_PER_SEGMENT = 4;

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        long firstSeed = Long.parseLong(args[1]);
        int clients = Integer.parseInt(args[2]);
        PrintStream out = System.out;
        Semaphore acked = new Semaphore(0);
        SpoolQueue queue = SpoolQueue.openRecovering(directory, new QueueSettings(RetrySchedule.DEFAULT, 0, 0), TUNING,
                Clock.systemUTC(), QueueEvents.NONE, segment -> {
                    try {
                        acked.acquire(ACKS_PER_SEGMENT);
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException("interrupted");
                    }
                });
        new Thread(() -> {
            try {
                queue.awaitRecovery();
                print(out, "RECOVERED");
            } catch (java.io.IOException e) {
                print(out, "ERROR recovery: " + e);
            }
        }).start();
        AtomicLong seeds = new AtomicLong(firstSeed);
        for (int c = 0; c < clients; c++) {
            new Thread(() -> {
                try {
                    while (true) {
                        long seed = seeds.getAndIncrement();
                        QueueId id;
                        try (MessageDraft draft = queue.newDraft()) {
                            draft.write(body(seed));
                            id = draft.commit(envelope(seed)).join();
                        }
                        print(out, "ACK " + id + " " + seed);
                        acked.release();
                        if (completes(seed)) {
                            queue.recordResults(id, Map.of(0, TestOutcomes.delivered("250 ok"))).join();
                            print(out, "DONE " + id);
                        }
                    }
                } catch (Throwable e) {
                    print(out, "ERROR " + e);
                }
            }).start();
        }
        print(out, "READY");
    }

    private static void print(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Whether the writer completes this message right after committing it. */
    static boolean completes(long seed) {
        return seed % 3 == 0;
    }

    static byte[] body(long seed) {
        Random random = new Random(seed);
        byte[] body = new byte[seed % 50 == 0 ? 20_000 + random.nextInt(5_000) : 200 + random.nextInt(5_000)];
        random.nextBytes(body);
        return body;
    }

    static Envelope envelope(long seed) {
        return new Envelope("sender@example.com", List.of(RecipientAddress.of("s" + seed + "@example.org")),
                MailParameters.NONE, Instant.now(), "127.0.0.1", "crash.example", Optional.empty());
    }

    static long seedOf(Envelope envelope) {
        String address = envelope.recipients().get(0).address();
        return Long.parseLong(address.substring(1, address.indexOf('@')));
    }
}
