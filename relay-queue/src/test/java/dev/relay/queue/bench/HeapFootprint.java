package dev.relay.queue.bench;

import dev.relay.outcome.Outcome;
import dev.relay.outcome.TestOutcomes;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.RetrySchedule;
import dev.relay.queue.spool.SpoolQueue;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Heap taken by a full queue: commits N messages (default 100 000 of 4 KB) into a fresh spool,
 * then prints the heap in use after GC; then tries every message once and defers it, as a
 * destination that is down does, and prints it again; then restarts the queue (recovery, which
 * reads the deferred states back) and prints it a third time.
 * Meant to run under {@code -Xmx256m}: finishing at all is the first result.
 *
 * <p>Arguments: {@code [messages] [size] [spool-directory]}.
 */
public final class HeapFootprint {

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        Path directory = BenchSupport.directory(args, 2);
        boolean temporary = args.length <= 2;
        byte[] body = BenchSupport.body(size);
        QueueSettings settings = new QueueSettings(RetrySchedule.DEFAULT, 0, 0);
        System.out.printf("max heap %d MB; filling %d messages of %d bytes%n",
                Runtime.getRuntime().maxMemory() >> 20, messages, size);
        try {
            long baseline = usedAfterGc();
            long started = System.nanoTime();
            try (SpoolQueue queue = SpoolQueue.open(directory, settings, Clock.systemUTC(), BenchSupport.NO_EVENTS)) {
                Semaphore inFlight = new Semaphore(256);
                for (int n = 0; n < messages; n++) {
                    inFlight.acquire();
                    MessageDraft draft = queue.newDraft();
                    draft.write(body);
                    CompletableFuture<?> commit = draft.commit(BenchSupport.envelope(n));
                    commit.whenComplete((id, failure) -> inFlight.release());
                }
                inFlight.acquire(256);
                System.out.printf("filled in %.1f s: %d messages queued%n", (System.nanoTime() - started) / 1e9,
                        queue.snapshot().total());
                System.out.printf("heap used after GC, queue open:      %6.1f MB (%.0f bytes per message)%n",
                        (usedAfterGc() - baseline) / 1048576.0, (usedAfterGc() - baseline) / (double) messages);
                started = System.nanoTime();
                long deferred = deferAll(queue);
                System.out.printf("tried and deferred %d in %.1f s: %d deferred%n", deferred,
                        (System.nanoTime() - started) / 1e9, queue.snapshot().deferred());
                long used = usedAfterGc() - baseline;
                System.out.printf("heap used after GC, all deferred:    %6.1f MB (%.0f bytes per message)%n",
                        used / 1048576.0, used / (double) messages);
            }
            started = System.nanoTime();
            try (SpoolQueue queue = SpoolQueue.open(directory, settings, Clock.systemUTC(), BenchSupport.NO_EVENTS)) {
                System.out.printf("reopened (recovery) in %.1f s: %d messages%n", (System.nanoTime() - started) / 1e9,
                        queue.snapshot().total());
                long used = usedAfterGc() - baseline;
                System.out.printf("heap used after GC, after recovery:  %6.1f MB (%.0f bytes per message)%n",
                        used / 1048576.0, used / (double) messages);
            }
        } finally {
            if (temporary) {
                BenchSupport.deleteTree(directory);
            }
        }
    }

    /** Hands out every due message and records a deferral for each recipient, as delivery would. */
    private static long deferAll(SpoolQueue queue) throws InterruptedException {
        Outcome.Deferred down = TestOutcomes.deferred("451 4.4.3 DNS lookup for <example.org> failed");
        Semaphore inFlight = new Semaphore(256);
        long deferred = 0;
        for (List<QueuedMessage> due = queue.takeDue(Instant.now(), 1_000); !due.isEmpty();
                due = queue.takeDue(Instant.now(), 1_000)) {
            for (QueuedMessage message : due) {
                Map<Integer, Outcome> results = new HashMap<>();
                for (int i = 0; i < message.statuses().size(); i++) {
                    results.put(i, down);
                }
                inFlight.acquire();
                queue.recordResults(message.id(), results).whenComplete((after, failure) -> inFlight.release());
                deferred++;
            }
        }
        inFlight.acquire(256);
        return deferred;
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100); // lets the collector finish before the heap is measured: no condition to wait for
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
