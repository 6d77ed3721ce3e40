package dev.relay.it.bench;

import dev.relay.RelayApplication;
import dev.relay.config.ConfigLoader;
import dev.relay.config.RelayConfig;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.testkit.TestPolicyServer;
import dev.relay.smtp.testkit.SmtpTestClient;
import dev.relay.tls.testkit.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * End to end (issue 14): the whole relay ({@link RelayApplication}, in this JVM) accepts 4 KB
 * messages from {@link LoadDriver} clients that do not pipeline (each command waits for its
 * reply, as most application libraries do) and delivers them at the same time over STARTTLS to
 * {@link TlsSink}, which runs in a JVM of its own. Every destination domain has an MTA-STS
 * {@code enforce} policy (served by a {@link TestPolicyServer} on loopback) and an MX record
 * (from a {@link TestDnsServer} on loopback) naming the sink's host, whose certificate the
 * relay verifies against the test CA as for any domain with a policy.
 *
 * <p>A warm-up phase sends WARMUP messages (at least one to every domain, so that every policy
 * is fetched and cached before the measured phase); it is measured too, as the rate of a fresh
 * process. With more than 100 domains, one message to each, 100 domains at a time, goes first. Each phase runs until its messages have all been accepted and delivered; relay CPU
 * is this JVM's process CPU minus the CPU of the load driver's and the test servers' threads.
 * Not a test: run it by hand (see BENCHMARKS.md) on a quiet machine.
 *
 * <p>With {@code -Dload.relay.jar=relay-server/target/relay.jar} the relay runs from its jar in
 * a JVM of its own instead ({@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch} and
 * {@code load.relay.java-opts}, e.g. an AOT cache): its CPU is then that process's, without the
 * breakdown by thread, and a phase ends when the admin API shows an empty queue.
 *
 * <p>Arguments: {@code sessions messages domains [warmup-messages]}. System properties:
 * {@code load.pipelining} (default false), {@code load.size} (default 4096),
 * {@code load.keep} (keep the spool).
 */
public final class EndToEndLoad {

    private static final String MX = "mx.bench.test";

    private EndToEndLoad() {}

    public static void main(String[] args) throws Exception {
        int sessions = BenchArgs.number(args, 0, 8);
        int messages = BenchArgs.number(args, 1, 20_000);
        int domainCount = BenchArgs.number(args, 2, 1);
        int warmup = BenchArgs.number(args, 3, 5_000);
        boolean pipelining = Boolean.getBoolean("load.pipelining");
        int size = Integer.getInteger("load.size", 4096);

        Path work = Files.createTempDirectory("end-to-end-load");
        TestCertificates.Authority ca = TestCertificates.newAuthority("End To End Load CA");
        TestCertificates.Issued certificate = ca.issue(MX);
        Path chain = Files.writeString(work.resolve("sink-chain.pem"), certificate.chainPem());
        Path key = Files.writeString(work.resolve("sink-key.pem"), certificate.keyPem(TestCertificates.KeyFormat.PKCS8));
        Process sink = startSink(chain, key, Runtime.getRuntime().availableProcessors());

        List<String> domains = new ArrayList<>();
        for (int i = 0; i < domainCount; i++) {
            domains.add("d" + i + ".bench.test");
        }
        QueueCounts counting = new QueueCounts();
        RelayApplication relay = null;
        Process relayProcess = null;
        String jar = System.getProperty("load.relay.jar", "");
        try (TestDnsServer dns = TestDnsServer.start();
                TestPolicyServer web = TestPolicyServer.start(ca);
                LoadDriver driver = new LoadDriver(Integer.getInteger("load.threads", 1))) {
            int sinkPort = BenchProcesses.readPort(sink);
            dns.defaultTtl(86_400); // nothing expires during a run: DNS is not what is measured
            dns.a(MX, "127.0.0.1");
            for (String domain : domains) {
                dns.mx(domain, 10, MX).txt("_mta-sts." + domain, "v=STSv1; id=1").a("mta-sts." + domain, "127.0.0.1");
                web.domain(domain).policy("version: STSv1\nmode: enforce\nmx: " + MX + "\nmax_age: 604800\n");
            }
            int port = BenchArgs.freePort();
            int adminPort = BenchArgs.freePort();
            Path configFile = work.resolve("relay.yaml");
            Files.writeString(configFile, BenchFiles.relayYaml("relay.bench.test", port, work) + """
                    delivery:
                      port: %d
                      dns:
                        servers: [%s]
                        dnssec: off # the test DNS server signs nothing; with validate every message is deferred
                      tls:
                        extra-trust: %s
                    mta-sts:
                      cache-directory: %s
                      https-port: %d
                    admin:
                      address: 127.0.0.1:%d
                    """.formatted(sinkPort, dns.hostPort(),
                    ca.writeTrustPem(work.resolve("ca.pem")), work.resolve("mta-sts"), web.port(), adminPort));
            long launched = System.nanoTime();
            Drain drain;
            if (jar.isEmpty()) {
                RelayConfig config = new ConfigLoader(Map.of()).load(configFile).config();
                relay = RelayApplication.builder(config).queueEvents(counting).start();
                drain = new InProcess(counting);
            } else {
                relayProcess = startRelay(jar, configFile, work.resolve("relay.log"));
                awaitGreeting(port, relayProcess);
                drain = new OwnProcess(relayProcess, adminPort);
            }
            System.out.printf("relay started in %.0f ms%n", (System.nanoTime() - launched) / 1e6);

            byte[] payload = SmtpTestClient.dataPayload(BenchFiles.lines(size, "From: load@bench.test\r\nTo: rcpt@bench.test\r\nSubject: end to end load\r\n"));
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            LoadDriver.Mode mode = new LoadDriver.Mode(pipelining, domains);
            Phase phase = new Phase(driver, address, sessions, payload, mode, drain, sink);

            // every policy fetched before the measured phase, 100 domains at a time: a thousand
            // fetches at once swamp the test's policy server (the JDK's HttpsServer), and the
            // relay then defers the messages for minutes
            for (int from = 0; domainCount > 100 && from < domainCount; from += 100) {
                List<String> slice = domains.subList(from, Math.min(domainCount, from + 100));
                new Phase(driver, address, sessions, payload, new LoadDriver.Mode(pipelining, slice), drain, sink)
                        .run(slice.size());
            }
            Result warm = phase.run(Math.max(warmup, domainCount));
            String loadBefore = BenchFiles.loadAverage();
            Result measured = phase.run(messages);
            System.out.printf("sessions=%d messages=%d domains=%d size=%dB pipelining=%s warmup=%d%n", sessions,
                    messages, domainCount, size, pipelining, warmup);
            print("warm-up", warm);
            print("measured", measured);
            System.out.printf("warm-up rate / measured rate: %.2f%n", warm.rate() / measured.rate());
            System.out.printf("load average: before %s, after %s (%d cores)%n", loadBefore, BenchFiles.loadAverage(),
                    Runtime.getRuntime().availableProcessors());
        } finally {
            if (relay != null) {
                relay.stop();
            }
            if (relayProcess != null) {
                relayProcess.destroy();
                if (!relayProcess.waitFor(60, TimeUnit.SECONDS)) {
                    relayProcess.destroyForcibly();
                }
            }
            BenchProcesses.stopSink(sink);
            if (!Boolean.getBoolean("load.keep")) {
                BenchFiles.deleteTree(work);
            }
        }
    }

    private static void print(String name, Result r) {
        StringBuilder threads = new StringBuilder();
        long named = 0;
        for (var entry : r.threadCpu().entrySet()) {
            named += entry.getValue();
            if (entry.getValue() / 1e3 / r.messages() >= 0.5) {
                threads.append(String.format(" %s %.1f", entry.getKey(), entry.getValue() / 1e3 / r.messages()));
            }
        }
        System.out.printf("%s: messages=%d throughput=%.0f msg/s elapsed=%.2f s errors=%d%n", name, r.messages(),
                r.rate(), r.nanos() / 1e9, r.errors());
        System.out.printf("%s cpu: relay %.1f us/msg (%.2f cores), sink %.1f us/msg, load generator %.1f us/msg%n", name,
                r.relayCpu() / 1e3 / r.messages(), r.relayCpu() / (double) r.nanos(), r.sinkCpu() / 1e3 / r.messages(),
                r.driverCpu() / 1e3 / r.messages());
        if (r.machineCpu() >= 0) {
            System.out.printf("%s cpu: machine %.1f us/msg, every process and kernel thread (sink and load generator included)%n",
                    name, r.machineCpu() / 1e3 / r.messages());
        }
        if (r.threadCpu().isEmpty()) {
            return; // the relay ran in its own process: no breakdown by thread
        }
        System.out.printf("%s relay threads (us/msg):%s not in a Java thread (GC, JIT, ...) %.1f%n", name, threads,
                (r.relayCpu() - named) / 1e3 / r.messages());
        StringBuilder switches = new StringBuilder();
        long relaySwitches = 0;
        for (Map.Entry<String, Long> entry : r.threadSwitches().entrySet()) {
            relaySwitches += entry.getValue();
            if (entry.getValue() / (double) r.messages() >= 0.05) {
                switches.append(String.format(" %s %.2f", entry.getKey(), entry.getValue() / (double) r.messages()));
            }
        }
        System.out.printf("%s relay context switches per message: %.2f (%s )%n", name,
                relaySwitches / (double) r.messages(), switches);
    }

    /**
     * What one phase measured, from the first connection to the last delivery.
     *
     * @param relayCpu this JVM's CPU minus the load driver's and the test servers' threads
     * @param machineCpu the whole machine's busy CPU, every process and kernel thread; -1 where unknown
     * @param threadCpu the relay's CPU by thread group
     */
    private record Result(long messages, long nanos, long relayCpu, long driverCpu, long sinkCpu, long machineCpu,
            Map<String, Long> threadCpu, Map<String, Long> threadSwitches, long errors) {
        double rate() {
            return messages / (nanos / 1e9);
        }
    }

    /** Where the relay runs: how its CPU is read and how the end of a phase is seen. */
    private sealed interface Drain permits InProcess, OwnProcess {
        /** Marks the start of a phase. */
        void start();

        /** Waits until every message accepted since {@link #start()} has been delivered; how many. */
        long await(long sent) throws Exception;
    }

    /** The relay in this JVM: its queue events count what is accepted and what leaves. */
    private static final class InProcess implements Drain {
        private final QueueCounts counts;
        private long acceptedBefore;
        private long completedBefore;

        InProcess(QueueCounts counts) {
            this.counts = counts;
        }

        @Override
        public void start() {
            acceptedBefore = counts.accepted.get();
            completedBefore = counts.completed.get();
        }

        @Override
        public long await(long sent) throws Exception {
            long injected = counts.accepted.get() - acceptedBefore;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (counts.completed.get() - completedBefore < injected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not every message was delivered: "
                            + (injected - (counts.completed.get() - completedBefore)) + " left; see the relay log");
                }
                Thread.sleep(1); // polls the delivered count: 1 ms is the resolution of the phase's end
            }
            return injected;
        }
    }

    /**
     * The relay jar in a JVM of its own (as in production, and as an AOT cache needs): the end
     * of a phase is an empty queue, asked of its admin API every 20 ms (one page of one message).
     */
    private record OwnProcess(Process relay, int adminPort) implements Drain {
        @Override
        public void start() {}

        @Override
        public long await(long sent) throws Exception {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpRequest page = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + adminPort + "/api/queue?limit=1")).build();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!http.send(page, java.net.http.HttpResponse.BodyHandlers.ofString()).body()
                    .contains("\"messages\":[]")) {
                if (System.nanoTime() > deadline || !relay.isAlive()) {
                    throw new IllegalStateException("the queue did not empty; see the relay log");
                }
                Thread.sleep(20); // polls the queue: 20 ms is the resolution of the phase's end
            }
            return sent;
        }
    }

    private record Phase(LoadDriver driver, InetSocketAddress address, int sessions, byte[] payload,
            LoadDriver.Mode mode, Drain drain, Process sink) {

        Result run(int messages) throws Exception {
            boolean own = drain instanceof OwnProcess;
            drain.start();
            long sinkBefore = BenchProcesses.cpuNanos(sink);
            Map<String, Long> threadsBefore = own ? Map.of() : BenchProcesses.cpuByThreadGroup();
            Map<String, Long> switchesBefore = own ? Map.of() : switchesByThreadGroup();
            long processBefore = own ? BenchProcesses.cpuNanos(((OwnProcess) drain).relay()) : BenchProcesses.processCpuNanos();
            long machineBefore = BenchProcesses.machineBusyNanos();
            System.out.println("phase of " + messages + " messages at epoch-ms " + System.currentTimeMillis());
            long start = System.nanoTime();
            LoadDriver.Measurement sent = driver.run(address, sessions, Duration.ofMinutes(10), messages, payload, mode);
            long injected = drain.await(sent.count());
            long elapsed = System.nanoTime() - start;
            long machine = machineBefore < 0 ? -1 : BenchProcesses.machineBusyNanos() - machineBefore;
            if (own) {
                long process = BenchProcesses.cpuNanos(((OwnProcess) drain).relay()) - processBefore;
                return new Result(injected, elapsed, process, sent.driverCpuNanos(), BenchProcesses.cpuNanos(sink) - sinkBefore,
                        machine, new java.util.TreeMap<>(), new java.util.TreeMap<>(), sent.errors());
            }
            long process = BenchProcesses.processCpuNanos() - processBefore;
            Map<String, Long> switches = BenchProcesses.grownSince(switchesBefore, switchesByThreadGroup());
            Map<String, Long> threads = BenchProcesses.grownSince(threadsBefore, BenchProcesses.cpuByThreadGroup());
            long outside = 0;
            for (String group : List.of("load", "test-dns", "ForkJoinPool")) {
                outside += threads.getOrDefault(group, 0L);
                threads.remove(group);
                switches.remove(group);
            }
            switches.remove("main"); // this program's own wait for the phase's end (it polls every ms)
            long sinkCpu = BenchProcesses.cpuNanos(sink) - sinkBefore;
            return new Result(injected, elapsed, process - outside, sent.driverCpuNanos(), sinkCpu, machine, threads,
                    switches, sent.errors());
        }
    }

    private static Process startRelay(String jar, Path config, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-Dlogback.configurationFile=config/logback.xml"));
        String extra = System.getProperty("load.relay.java-opts", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar, "run", "--config", config.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitGreeting(int port, Process relay) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline && relay.isAlive()) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                if (line != null && line.startsWith("220")) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(5); // not listening yet: polls every 5 ms
            }
        }
        throw new IllegalStateException("the relay did not start; see its log");
    }


    private static Process startSink(Path chain, Path key, int threads) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-cp", System.getProperty("java.class.path"),
                TlsSink.class.getName(), chain.toString(), key.toString(), Integer.toString(threads)));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * Context switches so far (voluntary and not, from {@code /proc/self/task}) of this JVM's
     * threads, grouped as {@link BenchProcesses#cpuByThreadGroup()} groups them (their names as the kernel
     * keeps them: 15 characters at most). Empty where there is no {@code /proc}.
     */
    private static Map<String, Long> switchesByThreadGroup() {
        Map<String, Long> groups = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = BenchProcesses.threadGroup(Files.readString(task.resolve("comm")).strip());
                    long switches = 0;
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                            switches += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                    groups.merge(name, switches, Long::sum);
                } catch (IOException | NumberFormatException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException noProc) {
            return groups;
        }
        return groups;
    }
}
