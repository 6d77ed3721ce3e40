package dev.relay.queue.bench;

import dev.relay.queue.MessageDraft;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.RetrySchedule;
import dev.relay.queue.spool.SpoolQueue;
import dev.relay.queue.spool.SpoolTuning;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Commit throughput of the disk spool: N client threads each commit messages one after the
 * other, waiting for each commit (as an SMTP session waits before its 250).
 *
 * <p>Arguments: {@code clients messages size [spool-directory]}; defaults 64 50000 4096 and a
 * temporary directory. Prints messages/s, commit latency percentiles and syncs per message.
 * {@code -DsegmentMb=N} changes the segment size (default 64).
 */
public final class CommitThroughput {

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
        Path directory = BenchSupport.directory(args, 3);
        boolean temporary = args.length <= 3;
        BenchSupport.SyncCounter counter = new BenchSupport.SyncCounter();
        byte[] body = BenchSupport.body(size);
        SpoolTuning tuning = new SpoolTuning(Long.getLong("segmentMb", 64) << 20,
                SpoolTuning.DEFAULT.inlineBodyLimit(), SpoolTuning.DEFAULT.compactBelow());
        try (SpoolQueue queue = SpoolQueue.open(directory, new QueueSettings(RetrySchedule.DEFAULT, 0, 0), tuning,
                Clock.systemUTC(), counter)) {
            run(queue, clients, Math.min(messages, 5_000), body); // warm-up: JIT, page cache, first segments
            counter.reset();
            long started = System.nanoTime();
            long[] latencies = run(queue, clients, messages, body);
            double seconds = (System.nanoTime() - started) / 1e9;
            Arrays.sort(latencies);
            System.out.printf("clients=%d messages=%d size=%d%n", clients, messages, size);
            System.out.printf("throughput      %.0f msg/s (%.2f s)%n", messages / seconds, seconds);
            System.out.printf("commit latency  p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                    percentile(latencies, 0.5), percentile(latencies, 0.9), percentile(latencies, 0.99),
                    percentile(latencies, 0.999), latencies[latencies.length - 1] / 1e6);
            System.out.printf("syncs           %d, %.3f per message (%.1f messages per sync)%n",
                    counter.syncs.get(), counter.syncs.get() / (double) messages,
                    messages / (double) Math.max(1, counter.syncs.get()));
        } finally {
            if (temporary) {
                BenchSupport.deleteTree(directory);
            }
        }
    }

    private static double percentile(long[] sorted, double fraction) {
        return sorted[(int) Math.min(sorted.length - 1, sorted.length * fraction)] / 1e6;
    }

    private static long[] run(SpoolQueue queue, int clients, int messages, byte[] body) throws Exception {
        long[] latencies = new long[messages];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(clients);
        Throwable[] failure = new Throwable[1];
        for (int c = 0; c < clients; c++) {
            Thread client = new Thread(() -> {
                try {
                    for (int n; (n = next.getAndIncrement()) < messages; ) {
                        try (MessageDraft draft = queue.newDraft()) {
                            draft.write(body);
                            long start = System.nanoTime();
                            draft.commit(BenchSupport.envelope(n)).join();
                            latencies[n] = System.nanoTime() - start;
                        }
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                } finally {
                    done.countDown();
                }
            }, "client-" + c);
            client.start();
        }
        done.await();
        if (failure[0] != null) {
            throw new IllegalStateException("a client failed", failure[0]);
        }
        return latencies;
    }
}
