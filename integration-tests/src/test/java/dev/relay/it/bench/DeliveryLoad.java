package dev.relay.it.bench;

import dev.relay.dane.Tlsa;
import dev.relay.delivery.DeliveryScheduler;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.DnssecMode;
import dev.relay.dns.TrustAnchors;
import dev.relay.dns.testkit.SignedZone;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.QueuedMessage;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.spool.SpoolQueue;
import dev.relay.smtp.client.ConnectionPool;
import dev.relay.smtp.client.SmtpClient;
import dev.relay.tls.ClientTlsContext;
import dev.relay.tls.testkit.TestCertificates;
import dev.relay.tlsrpt.CounterLimits;
import dev.relay.tlsrpt.DurableCounters;
import dev.relay.tlsrpt.SessionSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivery throughput: the relay's real outbound path (disk spool queue, delivery scheduler,
 * connection pool, Netty SMTP client with OpenSSL where it loads) delivering 4 KB messages
 * over STARTTLS to {@link TlsSink}, which runs in a JVM of its own on 127.0.0.1, so that the
 * CPU of this JVM is the relay's. DNS comes from a {@link TestDnsServer} in this JVM (answers
 * are cached after the first message, as in production).
 *
 * <p>Each phase fills the spool with N messages (one recipient each, all to one domain) while
 * no scheduler runs, then starts a scheduler and measures from its start until the last
 * message has left the queue: messages/s, CPU per message of this JVM (by thread group) and of
 * the sink. A warm-up phase of the same kind runs first. Not a test: run it by hand (see
 * BENCHMARKS.md), on a quiet machine.
 *
 * <p>Arguments: {@code mode messages [warmup-messages]}, mode {@code reuse} (as many messages
 * per connection as the relay's default, 500; the issue-3 figures were made at 100) or {@code new} (a new TLS connection per
 * message: the per-connection limit set to 1). System properties: {@code load.size} (message
 * size, default 4096), {@code load.connections} (per domain, default 20 as
 * {@code delivery.max-connections-per-domain}), {@code load.sink.threads} (default one per core),
 * {@code load.progress} (a line every 250 ms), {@code load.keep} (keep the spool), {@code load.dane}
 * ({@code off}, {@code warm}, {@code cold}: a DNSSEC-signed domain delivered to under DANE, see
 * {@link #resolver}).
 */
public final class DeliveryLoad {

    private static final String DOMAIN = "bench.test";
    private static final String MX = "mx.bench.test";

    private DeliveryLoad() {}

    /**
     * The resolver for {@code load.dane}: {@code off} (the default) an unsigned zone and no DNSSEC
     * (validating from the root would find every answer bogus: the test server has no root);
     * {@code warm} the zone signed, a DANE-EE TLSA record for the sink's key, validated from the
     * zone's DS as trust anchor, answers cached within their TTLs as in production; {@code cold} the
     * same without the answer cache, so every message's MX, A, AAAA and TLSA lookups are asked and
     * validated again (dnsjava's validator keeps its own cache of validated DNSKEYs all the same).
     */
    private static DnsResolver resolver(TestDnsServer dns, String dane, TestCertificates.Issued certificate, Path work)
            throws IOException {
        DnsResolver.Builder builder = DnsResolver.builder().servers(List.of(dns.endpoint()));
        if (dane.equals("off")) {
            dns.mx(DOMAIN, 10, MX).a(MX, "127.0.0.1");
            return builder.dnssec(DnssecMode.OFF).build();
        }
        if (!dane.equals("warm") && !dane.equals("cold")) {
            throw new IllegalArgumentException("load.dane is off, warm or cold, not " + dane);
        }
        String tlsa = HexFormat.of().formatHex(Tlsa.of(3, 1, 1, certificate.certificate()).data());
        SignedZone zone = SignedZone.builder(DOMAIN)
                .add(DOMAIN + ". MX 10 " + MX + ".", MX + ". A 127.0.0.1", "_25._tcp." + MX + ". TLSA 3 1 1 " + tlsa)
                .build();
        dns.add(zone.recordArray());
        Path anchors = Files.writeString(work.resolve("anchors.zone"), zone.dsAnchor());
        return builder.dnssec(DnssecMode.VALIDATE).trustAnchors(TrustAnchors.fromFile(anchors))
                .cacheSize(dane.equals("cold") ? 0 : 10_000).build();
    }

    public static void main(String[] args) throws Exception {
        String mode = BenchArgs.text(args, 0, "reuse");
        int messagesPerConnection = switch (mode) {
            case "reuse" -> ConnectionPool.Settings.DEFAULTS.maxMessagesPerConnection();
            case "new" -> 1;
            default -> throw new IllegalArgumentException("mode is reuse or new, not " + mode);
        };
        int messages = BenchArgs.number(args, 1, 50_000);
        int warmup = BenchArgs.number(args, 2, messages / 4);
        int size = Integer.getInteger("load.size", 4096);
        int connections = Integer.getInteger("load.connections", 20);
        // one sink thread per core: with one, replies to all connections queue behind each other
        int sinkThreads = Integer.getInteger("load.sink.threads", Runtime.getRuntime().availableProcessors());
        String dane = System.getProperty("load.dane", "off");

        Path work = Files.createTempDirectory("delivery-load");
        TestCertificates.Authority ca = TestCertificates.newAuthority("Delivery Load CA");
        TestCertificates.Issued certificate = ca.issue(MX);
        Path chain = Files.writeString(work.resolve("sink-chain.pem"), certificate.chainPem());
        Path key = Files.writeString(work.resolve("sink-key.pem"), certificate.keyPem(TestCertificates.KeyFormat.PKCS8));

        ClientTlsContext tls = ClientTlsContext.builder().extraTrust(List.of(ca.certificate())).build();
        Process sink = startSink(chain, key, sinkThreads);
        AtomicReference<CountDownLatch> done = new AtomicReference<>(new CountDownLatch(0));
        QueueEvents counting = new QueueEvents() {
            @Override
            public void completed(QueuedMessage message) {
                done.get().countDown();
            }
        };
        try (TestDnsServer dns = TestDnsServer.start();
                SpoolQueue queue = SpoolQueue.open(work.resolve("spool"), new QueueSettings(
                        QueueSettings.DEFAULT.retrySchedule(), 1L << 20, 0), Clock.systemUTC(), counting);
                SmtpClient client = SmtpClient.builder(tls).heloName("relay.bench.test").build();
                ConnectionPool pool = new ConnectionPool(client,
                        new ConnectionPool.Settings(connections, messagesPerConnection, Duration.ofSeconds(5)))) {
            int sinkPort = BenchProcesses.readPort(sink);
            DnsResolver resolver = resolver(dns, dane, certificate, work);
            byte[] body = BenchFiles.exactly(size, "From: load@relay.bench.test\r\nTo: rcpt@bench.test\r\nSubject: delivery load\r\n");
            // -Dload.tlsrpt=true: TLS reporting on, its counters (and their 5-second saves) as the relay has them
            DurableCounters counters = Boolean.getBoolean("load.tlsrpt")
                    ? DurableCounters.open(work.resolve("spool").resolve("tlsrpt"), Clock.systemUTC(), CounterLimits.DEFAULT,
                            DurableCounters.DEFAULT_SAVE_EVERY)
                    : null;
            Phase phase = new Phase(queue, resolver, pool, sinkPort, connections, body, done, sink,
                    counters == null ? SessionSink.NONE : counters::record);

            phase.run(Math.max(warmup, 1));
            String loadBefore = BenchFiles.loadAverage();
            Measurement measured = phase.run(messages);

            double seconds = measured.nanos() / 1e9;
            long relayCpu = measured.processCpu();
            long sinkCpu = measured.sinkCpu();
            System.out.printf("mode=%s messages=%d size=%dB messages-per-connection=%d connections=%d warmup=%d tls=%s dane=%s tls-rpt=%s%n",
                    mode, messages, size, messagesPerConnection, connections, warmup, tls.provider(), dane,
                    counters == null ? "off" : "on (" + counters.counters().snapshot().stream()
                            .flatMap(d -> d.domains().stream()).mapToLong(d -> d.successes() + d.failures()).sum()
                            + " sessions counted)");
            if (counters != null) {
                counters.close();
            }
            System.out.printf("throughput=%.0f msg/s elapsed=%.2f s%n", messages / seconds, seconds);
            System.out.printf("cpu: relay %.1f us/msg (%.2f cores), sink %.1f us/msg (%.2f cores)%n",
                    relayCpu / 1e3 / messages, relayCpu / 1e9 / seconds, sinkCpu / 1e3 / messages, sinkCpu / 1e9 / seconds);
            StringBuilder groups = new StringBuilder("relay threads (us/msg):");
            long named = 0;
            for (var entry : measured.threadCpu().entrySet()) {
                named += entry.getValue();
                groups.append(String.format(" %s %.1f", entry.getKey(), entry.getValue() / 1e3 / messages));
            }
            groups.append(String.format(" other(GC,JIT,...) %.1f", (relayCpu - named) / 1e3 / messages));
            System.out.println(groups);
            // System.nanoTime is CLOCK_MONOTONIC: `perf record -k CLOCK_MONOTONIC` lines up with this window
            System.out.printf("window: monotonic %.6f to %.6f s%n", measured.start() / 1e9,
                    (measured.start() + measured.nanos()) / 1e9);
            System.out.printf("load average: before %s, after %s (%d cores)%n", loadBefore, BenchFiles.loadAverage(),
                    Runtime.getRuntime().availableProcessors());
        } finally {
            BenchProcesses.stopSink(sink);
            if (!Boolean.getBoolean("load.keep")) {
                BenchFiles.deleteTree(work);
            }
        }
    }

    /**
     * What one phase measured, from the scheduler's start to the last message leaving the queue.
     *
     * @param processCpu this JVM's CPU time
     * @param threadCpu CPU time of the relay's threads by name (the scheduler's threads are new each phase)
     * @param sinkCpu the sink process's CPU time
     */
    private record Measurement(long start, long nanos, long processCpu, Map<String, Long> threadCpu, long sinkCpu) {}

    /** Fills the spool, then delivers it with a fresh scheduler. */
    private record Phase(SpoolQueue queue, DnsResolver dns, ConnectionPool pool, int port, int connections,
            byte[] body, AtomicReference<CountDownLatch> done, Process sink, SessionSink tlsSessions) {

        Measurement run(int messages) throws Exception {
            fill(messages);
            CountDownLatch all = new CountDownLatch(messages);
            done.set(all);
            DeliveryScheduler scheduler = DeliveryScheduler.builder(queue, dns, pool)
                    .port(port)
                    .maxConnectionsPerDomain(connections)
                    .tlsSessions(tlsSessions)
                    .build();
            Thread progress = Boolean.getBoolean("load.progress") ? progress(all) : null;
            long sinkBefore = BenchProcesses.cpuNanos(sink);
            Map<String, Long> threadsBefore = cpuByThreadGroup();
            long processBefore = BenchProcesses.processCpuNanos();
            // markers for -XX:+PrintCompilation, JFR and the like
            System.out.println("delivering " + messages + " messages at epoch-ms " + System.currentTimeMillis());
            long start = System.nanoTime();
            scheduler.start();
            boolean finished = all.await(10, TimeUnit.MINUTES);
            long elapsed = System.nanoTime() - start;
            long process = BenchProcesses.processCpuNanos() - processBefore;
            Map<String, Long> threads = cpuByThreadGroup();
            threads.replaceAll((group, cpu) -> cpu - threadsBefore.getOrDefault(group, 0L));
            long sinkCpu = BenchProcesses.cpuNanos(sink) - sinkBefore;
            System.out.println("delivered at epoch-ms " + System.currentTimeMillis());
            scheduler.close(Duration.ofSeconds(5));
            if (progress != null) {
                progress.interrupt();
            }
            if (!finished || !queue.list().isEmpty()) {
                throw new IllegalStateException("not every message was delivered: " + all.getCount() + " left, "
                        + queue.list().size() + " queued; see the relay log");
            }
            return new Measurement(start, elapsed, process, threads, sinkCpu);
        }

        private void fill(int messages) throws Exception {
            List<CompletableFuture<QueueId>> commits = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                try (MessageDraft draft = queue.newDraft()) {
                    draft.write(body);
                    Envelope envelope = new Envelope("sender@relay.bench.test",
                            List.of(RecipientAddress.of("rcpt" + (i % 1000) + "@" + DOMAIN)), MailParameters.NONE,
                            java.time.Instant.now(), "127.0.0.1", "client.bench.test", Optional.empty());
                    commits.add(draft.commit(envelope));
                }
                if (commits.size() == 256) {
                    commits.forEach(CompletableFuture::join);
                    commits.clear();
                }
            }
            commits.forEach(CompletableFuture::join);
        }

        private static Thread progress(CountDownLatch left) {
            return Thread.ofPlatform().daemon().name("load-progress").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    System.err.printf("progress epoch-ms=%d left=%d%n", System.currentTimeMillis(), left.getCount());
                    try {
                        Thread.sleep(250); // a progress line every 250 ms: the sleep is the ticker
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
    }

    private static Process startSink(Path chain, Path key, int threads) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"));
        String extra = System.getProperty("load.sink.java-opts", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TlsSink.class.getName(), chain.toString(),
                key.toString(), Integer.toString(threads)));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** CPU time so far of this JVM's threads, by the relay's thread names (event loops numbered alike). */
    private static Map<String, Long> cpuByThreadGroup() {
        Map<String, Long> groups = new LinkedHashMap<>();
        for (String group : List.of("smtp-out", "delivery-worker", "spool-writer", "dnsjava",
                "test-dns")) {
            groups.put(group, 0L);
        }
        BenchProcesses.eachThreadCpu((name, cpu) -> groups.keySet().stream().filter(name::startsWith).findFirst()
                .ifPresent(group -> groups.merge(group, cpu, Long::sum)));
        return groups;
    }
}
