package dev.relay.admin.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, for tests of pages a person looks at: loads a loopback
 * URL, lets its scripts run for a budget of virtual time, and returns the DOM as the browser
 * ended up with it. Every host name but the loopback address fails to resolve, and background
 * networking is off, so a test never reaches beyond 127.0.0.1.
 */
public final class HeadlessChromium {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(90);

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** The first browser on the PATH; empty when there is none (CI installs Debian's chromium). */
    public static Optional<HeadlessChromium> find() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String name : NAMES) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(new HeadlessChromium(candidate));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Loads {@code page} (a loopback URL), runs it for {@code budget} of virtual time (timers
     * and fetches included), and returns the serialized DOM.
     */
    public String dumpDom(URI page, Duration budget) throws IOException, InterruptedException {
        if (!"127.0.0.1".equals(page.getHost())) {
            throw new IllegalArgumentException("tests load loopback pages only: " + page);
        }
        Path profile = Files.createTempDirectory("chromium-profile");
        try {
            List<String> command = new ArrayList<>(List.of(binary.toString(),
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--user-data-dir=" + profile,
                    "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                    "--virtual-time-budget=" + budget.toMillis(),
                    "--dump-dom", page.toString()));
            Process process = new ProcessBuilder(command).start();
            // both pipes drained at once on their own threads, so neither can fill up and stall the browser
            try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<String> dom = readers.submit(() -> read(process.getInputStream()));
                Future<String> errors = readers.submit(() -> read(process.getErrorStream()));
                if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("chromium did not finish within " + PROCESS_TIMEOUT);
                }
                if (process.exitValue() != 0) {
                    throw new IOException("chromium exited with " + process.exitValue() + ": " + errors.get());
                }
                return dom.get();
            } catch (ExecutionException e) {
                throw new IOException("reading chromium's output failed", e.getCause());
            }
        } finally {
            deleteTree(profile);
        }
    }

    /** The text inside the element with {@code id} (no nested elements), still HTML-escaped. */
    public static String textOf(String dom, String id) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(dom);
        if (!m.find()) {
            throw new AssertionError("no element with id " + id + " in:\n" + dom);
        }
        return m.group(1);
    }

    /** Whether the element with {@code id} carries the {@code hidden} attribute. */
    public static boolean isHidden(String dom, String id) {
        Matcher m = Pattern.compile("<[a-z]+ [^>]*id=\"" + Pattern.quote(id) + "\"[^>]*>").matcher(dom);
        if (!m.find()) {
            throw new AssertionError("no element with id " + id + " in:\n" + dom);
        }
        return Pattern.compile("\\shidden(=\"[^\"]*\")?[\\s>]").matcher(m.group()).find();
    }

    /** The rows of the table with {@code id}, each as its cells' (escaped) text. */
    public static List<List<String>> rows(String dom, String id) {
        Matcher table = Pattern.compile("id=\"" + Pattern.quote(id) + "\".*?<tbody>(.*?)</tbody>", Pattern.DOTALL).matcher(dom);
        if (!table.find()) {
            throw new AssertionError("no table with id " + id + " in:\n" + dom);
        }
        List<List<String>> rows = new ArrayList<>();
        Matcher row = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(table.group(1));
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL).matcher(row.group(1));
            while (cell.find()) {
                cells.add(cell.group(1));
            }
            rows.add(cells);
        }
        return rows;
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
