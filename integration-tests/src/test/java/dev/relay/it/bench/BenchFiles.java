package dev.relay.it.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** What the load programs share besides processes: the test message, the load average, clean-up. */
final class BenchFiles {

    private static final String LINE = " the quick brown fox jumps over the lazy dog 0123456789\r\n";

    private BenchFiles() {}

    /** A message of numbered text lines after {@code headers}: at least {@code size} characters, whole lines. */
    static String lines(int size, String headers) {
        StringBuilder body = new StringBuilder(size + 100);
        body.append(headers).append("\r\n");
        int line = 0;
        while (body.length() < size) {
            body.append("line ").append(line++).append(LINE);
        }
        return body.toString();
    }

    /** The same text cut to exactly {@code size} bytes, ending in CRLF and with no bare CR at the cut. */
    static byte[] exactly(int size, String headers) {
        String text = lines(size, headers).substring(0, size - 2);
        return (text.endsWith("\r") ? text.substring(0, text.length() - 1) + "x" : text).concat("\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The 1, 5 and 15 minute load averages, as uptime shows them. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * The head of a benchmark relay's configuration: one loopback listener without STARTTLS or
     * AUTH that relays for loopback clients, and its spool under {@code work}. With
     * {@code -Dload.network-io=epoll} (or any {@code network.io} value) the relay runs on that
     * transport, for comparing them in one build.
     */
    static String relayYaml(String hostname, int port, Path work) {
        String networkIo = System.getProperty("load.network-io", "");
        return (networkIo.isEmpty() ? "" : "network:\n  io: " + networkIo + "\n") + """
                hostname: %s
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
                """.formatted(hostname, port, work.resolve("spool"));
    }

    /**
     * The rest of the configuration of a relay that measures anything but delivery: its DNS
     * server on loopback at {@code dnsPort}, its MTA-STS cache under {@code work}, its admin API on
     * {@code adminPort} (0: any free port). At the discard port, 9, nothing listens: the kernel
     * refuses each query at once, so every message is tried and deferred as soon as it arrives
     * (what {@link StartupLoad} wants, a queue of deferred mail). At a socket that reads and never
     * answers, each attempt waits for the resolver's timeout, at most 1 000 at a time, so
     * delivery takes next to nothing while the relay accepts ({@link AcceptLoad}).
     */
    static String deliveringNowhereYaml(Path work, int adminPort, int dnsPort) {
        return """
                delivery:
                  dns:
                    servers: [127.0.0.1:%d]
                mta-sts:
                  cache-directory: %s
                admin:
                  address: 127.0.0.1:%d
                """.formatted(dnsPort, work.resolve("mta-sts"), adminPort);
    }
}
