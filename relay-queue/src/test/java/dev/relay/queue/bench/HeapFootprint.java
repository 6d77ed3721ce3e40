package dev.relay.queue.bench;

import dev.relay.queue.MessageDraft;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.RetrySchedule;
import dev.relay.queue.spool.SpoolQueue;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Heap taken by a full queue: commits N messages (default 100 000 of 4 KB) into a fresh spool,
 * then prints the heap in use after GC; then restarts the queue (recovery) and prints it again.
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

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100); // lets the collector finish before the heap is measured: no condition to wait for
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
