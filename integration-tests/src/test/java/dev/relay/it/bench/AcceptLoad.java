package dev.relay.it.bench;

import dev.relay.RelayApplication;
import dev.relay.config.ConfigLoader;
import dev.relay.config.RelayConfig;
import dev.relay.it.SmtpTestClient;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueuedMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accept throughput: N parallel SMTP clients on loopback send 4 KB messages to a relay running
 * in this JVM on a spool in a temp directory. Prints messages/s, the latency from the end of
 * DATA to the 250 (p50, p99) and spool syncs per message. Not a test: run it by hand (see
 * BENCHMARKS.md) on a quiet machine.
 *
 * <p>Arguments: {@code clients seconds [size-bytes] [warmup-seconds]}.
 */
public final class AcceptLoad {

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;

        Path work = Files.createTempDirectory("accept-load");
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path configFile = work.resolve("relay.yaml");
        Files.writeString(configFile, """
                hostname: bench.test
                listeners:
                  - address: 127.0.0.1:%d
                    starttls: off
                    auth: off
                relay-networks: [127.0.0.0/8]
                limits:
                  max-connections-per-client: 1000
                spool:
                  directory: %s
                  min-free-space: 1MB
                delivery:
                  dns:
                    servers: [127.0.0.1:9]
                mta-sts:
                  cache-directory: %s
                admin:
                  address: 127.0.0.1:0
                """.formatted(port, work.resolve("spool"), work.resolve("mta-sts")));
        RelayConfig config = new ConfigLoader(Map.of()).load(configFile).config();

        AtomicLong commits = new AtomicLong();
        AtomicLong syncs = new AtomicLong();
        QueueEvents counting = new QueueEvents() {
            @Override
            public void accepted(QueuedMessage message) {
                commits.incrementAndGet();
            }

            @Override
            public void synced(int count) {
                syncs.incrementAndGet();
            }
        };
        RelayApplication relay = RelayApplication.builder(config).queueEvents(counting).start();
        try {
            byte[] payload = SmtpTestClient.dataPayload(body(size));
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            Measurement warm = run(address, clients, Duration.ofSeconds(warmup), payload);
            long commitsBefore = commits.get();
            long syncsBefore = syncs.get();
            long processCpuBefore = processCpuNanos();
            Measurement measured = run(address, clients, Duration.ofSeconds(seconds), payload);
            long relayCpu = processCpuNanos() - processCpuBefore - measured.clientCpuNanos();
            long c = commits.get() - commitsBefore;
            long s = syncs.get() - syncsBefore;
            System.out.printf("clients=%d size=%dB duration=%ds warmup-msgs=%d%n", clients, size, seconds, warm.count());
            System.out.printf("messages=%d throughput=%.0f msg/s p50=%.2f ms p99=%.2f ms max=%.2f ms errors=%d%n",
                    measured.count(), measured.count() / (double) seconds,
                    measured.percentile(50) / 1e6, measured.percentile(99) / 1e6, measured.percentile(100) / 1e6,
                    measured.errors());
            System.out.printf("spool commits=%d syncs=%d syncs-per-message=%.3f%n", c, s, c == 0 ? 0.0 : s / (double) c);
            System.out.printf("cpu: relay %.1f us/msg (%.2f cores), load clients %.1f us/msg (%.2f cores)%n",
                    relayCpu / 1e3 / Math.max(1, measured.count()), relayCpu / 1e9 / seconds,
                    measured.clientCpuNanos() / 1e3 / Math.max(1, measured.count()),
                    measured.clientCpuNanos() / 1e9 / seconds);
        } finally {
            relay.stop();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private record Measurement(long[] latenciesNanos, int count, long errors, long clientCpuNanos) {
        double percentile(double p) {
            if (count == 0) {
                return 0;
            }
            int index = (int) Math.ceil(p / 100.0 * count) - 1;
            return latenciesNanos[Math.max(0, Math.min(count - 1, index))];
        }
    }

    private static Measurement run(InetSocketAddress address, int clients, Duration duration, byte[] payload)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        AtomicLong clientCpu = new AtomicLong();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        List<long[]> perClient = new ArrayList<>();
        int[] counts = new int[clients];
        CountDownLatch done = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            long[] latencies = new long[4_000_000 / clients];
            perClient.add(latencies);
            int index = i;
            Thread.ofPlatform().name("load-" + i).start(() -> {
                try (SmtpTestClient client = SmtpTestClient.connect(address, 30_000)) {
                    client.readReply();
                    client.command("EHLO load.test");
                    byte[] envelope = ("MAIL FROM:<load@bench.test>\r\nRCPT TO:<rcpt" + index
                            + "@example.test>\r\nDATA\r\n").getBytes(StandardCharsets.US_ASCII);
                    while (!stop.get() && counts[index] < latencies.length) {
                        client.write(envelope); // pipelined, as PIPELINING clients do
                        int mail = client.readReply().code();
                        int rcpt = client.readReply().code();
                        int data = client.readReply().code();
                        if (mail != 250 || rcpt != 250 || data != 354) {
                            errors.incrementAndGet();
                            client.command("RSET");
                            continue;
                        }
                        client.write(payload);
                        long start = System.nanoTime();
                        int result = client.readReply().code();
                        long elapsed = System.nanoTime() - start;
                        if (result == 250) {
                            latencies[counts[index]++] = elapsed;
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                    client.command("QUIT");
                } catch (IOException e) {
                    errors.incrementAndGet();
                } finally {
                    clientCpu.addAndGet(threads.getCurrentThreadCpuTime());
                    done.countDown();
                }
            });
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        done.await();
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < clients; i++) {
            System.arraycopy(perClient.get(i), 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return new Measurement(all, total, errors.get(), clientCpu.get());
    }

    private static String body(int size) {
        StringBuilder body = new StringBuilder(size + 100);
        body.append("From: load@bench.test\r\nTo: rcpt@example.test\r\nSubject: accept load\r\n\r\n");
        int line = 0;
        while (body.length() < size) {
            body.append("line ").append(line++).append(" the quick brown fox jumps over the lazy dog 0123456789\r\n");
        }
        return body.toString();
    }
}
