package dev.relay.it.bench;

import dev.relay.RelayApplication;
import dev.relay.config.ConfigLoader;
import dev.relay.config.RelayConfig;
import dev.relay.smtp.testkit.SmtpTestClient;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Accept throughput: N parallel SMTP connections on loopback send 4 KB messages to a relay
 * running in this JVM on a spool in a temp directory. Prints messages/s, the latency from the
 * end of DATA to the 250 (p50, p99, max), spool syncs per message, and CPU per message of the
 * relay and of the load generator ({@link LoadDriver}, one Netty thread by default,
 * {@code -Dload.threads=N}). Not a test: run it by hand (see BENCHMARKS.md) on a quiet machine.
 *
 * <p>Arguments: {@code clients seconds [size-bytes] [warmup-seconds]}. The warm-up runs at least
 * 8 connections. The relay logs one line per accepted message on stdout, as in production: send
 * stdout to a file (the runner script does), a terminal would slow the relay down.
 */
public final class AcceptLoad {
    private static final int WARMUP_CLIENTS = 8;

    public static void main(String[] args) throws Exception {
        int clients = BenchArgs.number(args, 0, 8);
        int seconds = BenchArgs.number(args, 1, 20);
        int size = BenchArgs.number(args, 2, 4096);
        int warmup = BenchArgs.number(args, 3, 5);

        Path work = Files.createTempDirectory("accept-load");
        int port = BenchArgs.freePort();
        Path configFile = work.resolve("relay.yaml");
        // accepting is measured, not delivering: the relay's DNS server reads and never answers, so
        // its attempts wait (-Dload.refused-dns=true: the discard port, where each accepted message
        // is tried and deferred at once, a delivery attempt per message in the figures)
        DatagramSocket silentDns = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        int dnsPort = Boolean.getBoolean("load.refused-dns") ? 9 : silentDns.getLocalPort();
        Files.writeString(configFile,
                BenchFiles.relayYaml("bench.test", port, work) + BenchFiles.deliveringNowhereYaml(work, 0, dnsPort));
        RelayConfig config = new ConfigLoader(Map.of()).load(configFile).config();

        QueueCounts counting = new QueueCounts();
        RelayApplication relay = RelayApplication.builder(config).queueEvents(counting).start();
        if (Boolean.getBoolean("load.progress")) {
            // for lining up outside measurements (perf, top) with the messages committed meanwhile
            Thread.ofPlatform().daemon().name("load-progress").start(() -> {
                while (true) {
                    System.err.printf("progress epoch-ms=%d commits=%d%n", System.currentTimeMillis(), counting.accepted.get());
                    try {
                        Thread.sleep(250); // a progress line every 250 ms: the sleep is the ticker
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        try (LoadDriver driver = new LoadDriver(Integer.getInteger("load.threads", 1))) {
            byte[] payload = SmtpTestClient.dataPayload(BenchFiles.lines(size, "From: load@bench.test\r\nTo: rcpt@example.test\r\nSubject: accept load\r\n"));
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            // at least 8 connections while warming up: one alone would leave much of the hot path to
            // the JIT compilers during the measured run
            LoadDriver.Measurement warm = driver.run(address, Math.max(clients, WARMUP_CLIENTS),
                    Duration.ofSeconds(warmup), payload, new LoadDriver.Mode(
                            !"false".equals(System.getProperty("load.pipelining")), java.util.List.of("example.test")));
            String loadBefore = BenchFiles.loadAverage();
            long commitsBefore = counting.accepted.get();
            long syncsBefore = counting.syncs.get();
            long processCpuBefore = BenchProcesses.processCpuNanos();
            long machineBefore = BenchProcesses.machineBusyNanos();
            java.util.Map<String, Long> threadsBefore = BenchProcesses.cpuByThreadGroup();
            // -Dload.pipelining=false: each command waits for its reply, as most client libraries do
            LoadDriver.Mode mode = new LoadDriver.Mode(!"false".equals(System.getProperty("load.pipelining")),
                    java.util.List.of("example.test"));
            LoadDriver.Measurement measured = driver.run(address, clients, Duration.ofSeconds(seconds), payload, mode);
            long relayCpu = BenchProcesses.processCpuNanos() - processCpuBefore - measured.driverCpuNanos();
            long machine = BenchProcesses.machineBusyNanos() - machineBefore;
            java.util.Map<String, Long> threadsAfter = BenchProcesses.cpuByThreadGroup();
            long c = counting.accepted.get() - commitsBefore;
            long s = counting.syncs.get() - syncsBefore;
            double elapsedSeconds = measured.elapsedNanos() / 1e9;
            int n = Math.max(1, measured.count());
            System.out.printf("clients=%d size=%dB duration=%ds warmup-msgs=%d load-threads=%d pipelining=%s%n", clients,
                    size, seconds, warm.count(), Integer.getInteger("load.threads", 1),
                    !"false".equals(System.getProperty("load.pipelining")));
            System.out.printf("messages=%d throughput=%.0f msg/s p50=%.2f ms p99=%.2f ms max=%.2f ms errors=%d%n",
                    measured.count(), measured.count() / elapsedSeconds,
                    measured.percentileNanos(50) / 1e6, measured.percentileNanos(99) / 1e6,
                    measured.percentileNanos(100) / 1e6, measured.errors() + warm.errors());
            System.out.printf("spool commits=%d syncs=%d syncs-per-message=%.3f%n", c, s, c == 0 ? 0.0 : s / (double) c);
            System.out.printf("cpu: relay %.1f us/msg (%.2f cores), load generator %.1f us/msg (%.2f cores)%n",
                    relayCpu / 1e3 / n, relayCpu / 1e9 / elapsedSeconds,
                    measured.driverCpuNanos() / 1e3 / n, measured.driverCpuNanos() / 1e9 / elapsedSeconds);
            if (machineBefore >= 0) {
                System.out.printf("cpu: machine %.1f us/msg, every process and kernel thread (the load generator's included)%n",
                        machine / 1e3 / n);
            }
            // where the relay's CPU goes: the listener's loops and the spool writer; the delivery
            // worker and the resolver's selector only with -Dload.refused-dns=true
            StringBuilder threads = new StringBuilder();
            BenchProcesses.grownSince(threadsBefore, threadsAfter).forEach((group, used) -> {
                if (!group.equals("load")) {
                    threads.append(String.format(" %s %.1f", group, used / 1e3 / n));
                }
            });
            System.out.printf("cpu relay threads (us/msg):%s%n", threads);
            System.out.printf("load average: before %s, after %s (%d cores)%n", loadBefore, BenchFiles.loadAverage(),
                    Runtime.getRuntime().availableProcessors());
        } finally {
            relay.stop();
            silentDns.close();
            if (!Boolean.getBoolean("load.keep")) {
                // a run leaves gigabytes of spool behind; -Dload.keep=true keeps them for a look
                BenchFiles.deleteTree(work);
            }
        }
    }
}
