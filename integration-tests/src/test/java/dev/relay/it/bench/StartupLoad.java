package dev.relay.it.bench;

import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.MessageDraft;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueSettings;
import dev.relay.queue.RecipientAddress;
import dev.relay.queue.spool.SpoolQueue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up with a large queue (issue 14): fills a spool with N queued 4 KB messages (through
 * the spool's own writer, {@link SpoolQueue}, in this JVM), then launches the relay on it in a
 * JVM of its own with a small heap and measures, from the launch:
 * <ul>
 * <li>the first {@code 220} greeting on the SMTP listener (polled every 5 ms);</li>
 * <li>when {@code /health/ready} first answers 200 (the queue is open, delivery started);</li>
 * <li>a message submitted right after the first {@code 220} (EHLO to the final dot, without
 *     pipelining): when its {@code 250} came, while the old spool may still be read;</li>
 * <li>when the spool found at start is read and merged: {@code /api/status} no longer says
 *     {@code recovering} (polled every 20 ms), and the relay's own log line with its time;</li>
 * <li>the heap in use after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}),
 *     once ready, per queued message.</li>
 * </ul>
 * Delivery points at a DNS port where nothing answers, so the relay's scheduler works on the
 * queue meanwhile as after any restart, but nothing leaves it. Not a test: run by hand.
 *
 * <p>System properties: {@code load.relay.jar} (run that jar rather than the test classpath),
 * {@code load.relay.java-opts} (more options for the relay's JVM, e.g. {@code -XX:AOTCache=...}).
 *
 * <p>Arguments: {@code messages [heap] [size]} (defaults 1 000 000, 256m, 4096). The spool is
 * kept in {@code /tmp/startup-load-N} between runs (filling a million takes about a minute):
 * {@code -Dload.refill=true} makes it again; delete it by hand when done.
 */
public final class StartupLoad {

    private static final String HEADERS = "From: sender@origin.bench.test\r\nTo: rcpt@bench.test\r\nSubject: queued\r\n";

    private StartupLoad() {}

    public static void main(String[] args) throws Exception {
        int messages = BenchArgs.number(args, 0, 1_000_000);
        String heap = BenchArgs.text(args, 1, "256m");
        int size = BenchArgs.number(args, 2, 4096);
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "startup-load-" + messages);
        Path spool = work.resolve("spool");
        Path filled = work.resolve("filled");
        if (Boolean.getBoolean("load.refill") || !Files.exists(filled)) {
            BenchFiles.deleteTree(work);
            Files.createDirectories(work);
            fill(spool, messages, size);
            Files.writeString(filled, Integer.toString(messages));
        }
        int smtpPort = BenchArgs.freePort();
        int adminPort = BenchArgs.freePort();
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, BenchFiles.relayYaml("relay.bench.test", smtpPort, work)
                + BenchFiles.deliveringNowhereYaml(work, adminPort, 9));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dlogback.configurationFile=config/logback.xml"));
        String extra = System.getProperty("load.relay.java-opts", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        // the built jar (-Dload.relay.jar=relay-server/target/relay.jar) as in production, which
        // an AOT cache needs (it takes jars only); else the test classpath
        String jar = System.getProperty("load.relay.jar", "");
        command.addAll(jar.isEmpty() ? List.of("-cp", System.getProperty("java.class.path"), "dev.relay.cli.RelayCommand")
                : List.of("-jar", jar));
        command.addAll(List.of("run", "--config", config.toString()));
        Path log = work.resolve("relay.log");
        String loadBefore = BenchFiles.loadAverage();
        long launched = System.nanoTime();
        Process relay = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long greeting = -1;
            long ready = -1;
            double greetingCpu = -1;
            double readyCpu = -1;
            long deadline = launched + TimeUnit.MINUTES.toNanos(5);
            while ((greeting < 0 || ready < 0) && System.nanoTime() < deadline && relay.isAlive()) {
                if (greeting < 0 && greets(smtpPort)) {
                    greeting = System.nanoTime() - launched;
                    greetingCpu = cpuSeconds(relay.pid());
                }
                if (ready < 0 && ready(adminPort)) {
                    ready = System.nanoTime() - launched;
                    readyCpu = cpuSeconds(relay.pid());
                }
                Thread.sleep(5); // polls: 5 ms is the resolution of the times measured
            }
            if (!relay.isAlive()) {
                System.out.println("the relay stopped: see " + log);
                System.out.println(tail(log));
                return;
            }
            long submitted = submitOne(smtpPort) ? System.nanoTime() - launched : -1;
            boolean recoveringWhenSubmitted = recovering(adminPort);
            long recovered = -1;
            double recoveredCpu = -1;
            while (recovered < 0 && System.nanoTime() < deadline && relay.isAlive()) {
                if (!recovering(adminPort)) {
                    recovered = System.nanoTime() - launched;
                    recoveredCpu = cpuSeconds(relay.pid());
                } else {
                    Thread.sleep(20); // polls: 20 ms is the resolution of the recovery time
                }
            }
            System.out.printf("messages=%d size=%dB heap=-Xmx%s%n", messages, size, heap);
            System.out.printf("first 220 after %.0f ms; ready after %.0f ms%n", greeting / 1e6, ready / 1e6);
            System.out.printf("a message submitted after the first 220 got its 250 after %.0f ms (the spool %s)%n",
                    submitted / 1e6, recoveringWhenSubmitted ? "still recovering then" : "already recovered");
            System.out.printf("recovery complete (status page) after %.0f ms%n", recovered / 1e6);
            // CPU the relay's process had used by then (user + system, all threads): what a quiet
            // machine would need, spread over its cores, whatever the load here
            System.out.printf("relay process CPU at the first 220: %.2f s; at ready: %.2f s; at recovery complete: %.2f s%n",
                    greetingCpu, readyCpu, recoveredCpu);
            Files.readAllLines(log).stream().filter(line -> line.contains("recovery complete")
                    || line.contains("spool recovered")).forEach(line -> System.out.println("  log: " + line));
            long used = heapAfterGc(relay.pid());
            System.out.printf("heap used after full GC: %.1f MB (%.0f bytes per queued message)%n", used / 1048576.0,
                    used / (double) messages);
            System.out.printf("load average: before %s, after %s%n", loadBefore, BenchFiles.loadAverage());
        } finally {
            relay.destroy();
            if (!relay.waitFor(30, TimeUnit.SECONDS)) {
                relay.destroyForcibly();
            }
        }
    }

    private static void fill(Path spool, int messages, int size) throws Exception {
        byte[] body = BenchFiles.exactly(size, HEADERS);
        long started = System.nanoTime();
        try (SpoolQueue queue = SpoolQueue.open(spool, new QueueSettings(QueueSettings.DEFAULT.retrySchedule(), 0, 0),
                Clock.systemUTC(), QueueEvents.NONE)) {
            Semaphore inFlight = new Semaphore(512);
            for (int n = 0; n < messages; n++) {
                inFlight.acquire();
                try (MessageDraft draft = queue.newDraft()) {
                    draft.write(body);
                    Envelope envelope = new Envelope("sender" + (n % 100) + "@origin.bench.test",
                            List.of(RecipientAddress.of("rcpt" + n + "@d" + (n % 1000) + ".bench.test")),
                            MailParameters.NONE, Instant.now(), "127.0.0.1", "client.bench.test", Optional.empty());
                    CompletableFuture<?> commit = draft.commit(envelope);
                    commit.whenComplete((id, failure) -> inFlight.release());
                }
            }
            inFlight.acquire(512);
        }
        System.out.printf("filled %d messages in %.1f s%n", messages, (System.nanoTime() - started) / 1e9);
    }

    /** Whether the listener answers with a 220 now. */
    private static boolean greets(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(30_000);
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return line != null && line.startsWith("220");
        } catch (IOException e) {
            return false;
        }
    }

    /** User plus system CPU seconds of process {@code pid} so far (Linux /proc), or -1. */
    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields from the state on: utime and stime are the 12th and 13th, in clock ticks of 1/100 s
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** One 4 KB message, EHLO to QUIT, each command waiting for its reply; true on a 250 for the data. */
    private static boolean submitOne(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(60_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            var out = socket.getOutputStream();
            String[] steps = {null, "EHLO client.bench.test", "MAIL FROM:<a@origin.bench.test>",
                "RCPT TO:<during-recovery@d0.bench.test>", "DATA"};
            for (String step : steps) {
                if (step != null) {
                    out.write((step + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                if (!lastLine(in).matches("^[23].*")) {
                    return false;
                }
            }
            out.write(BenchFiles.exactly(4096, HEADERS));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            boolean queued = lastLine(in).startsWith("250");
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            return queued;
        } catch (IOException e) {
            return false;
        }
    }

    private static String lastLine(BufferedReader in) throws IOException {
        for (String line; (line = in.readLine()) != null; ) {
            if (line.length() < 4 || line.charAt(3) != '-') {
                return line;
            }
        }
        return "";
    }

    /** Whether the status page says the spool found at start is still being read (or does not answer). */
    private static boolean recovering(int port) {
        return get(port, "/api/status").map(reply -> reply.contains("\"recovering\"")).orElse(true);
    }

    private static boolean ready(int port) {
        return get(port, "/health/ready")
                .flatMap(reply -> reply.lines().findFirst()).filter(status -> status.contains(" 200")).isPresent();
    }

    /** The whole reply to a GET of {@code path} on the admin port; empty when it does not answer. */
    private static java.util.Optional<String> get(int port, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return java.util.Optional.of(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Heap in use after a full GC of process {@code pid}, from {@code jcmd}. */
    private static long heapAfterGc(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        run(jcmd.toString(), Long.toString(pid), "GC.run");
        String info = run(jcmd.toString(), Long.toString(pid), "GC.heap_info");
        Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("no heap figure in: " + info);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (InputStream in = process.getInputStream()) {
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(60, TimeUnit.SECONDS);
            return out;
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

}
