package dev.relay.tlsrpt;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.outcome.Cause;
import dev.relay.tlsrpt.DomainCounts.FailureCount;
import dev.relay.tlsrpt.DomainCounts.PolicyCounts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session counters on disk: one JSON file, {@code counters.json}, in the TLS reporting
 * directory under the spool. Each save writes the whole state (it is small and bounded by
 * {@link CounterLimits}) to a temp file, fsyncs it, renames it over the old file and fsyncs the
 * directory: after a crash the file is either the old state or the new one, never a mix.
 *
 * <p>A file that cannot be understood is renamed to {@code counters.json.corrupt-<time>} (kept
 * for inspection, never read again), logged, and the relay starts counting from zero: lost
 * counts are bad, a relay that will not start is worse.
 */
public final class CounterStore {
    private static final Logger log = LoggerFactory.getLogger(CounterStore.class);

    static final String FILE_NAME = "counters.json";
    private static final int FORMAT = 1;
    private static final DateTimeFormatter CORRUPT_STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final Path directory;
    private final Path file;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    private CounterStore(Path directory, Clock clock) {
        this.directory = directory;
        this.file = directory.resolve(FILE_NAME);
        this.clock = clock;
    }

    /** The store in this directory, created when missing. */
    public static CounterStore open(Path directory, Clock clock) throws IOException {
        Files.createDirectories(directory);
        return new CounterStore(directory, clock);
    }

    public Path file() {
        return file;
    }

    /** The saved counts; none when there is no file yet or it was corrupt (then set aside). */
    public synchronized List<DayCounts> load() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        try {
            return decode(bytes);
        } catch (CorruptFile e) {
            Path aside = directory.resolve(FILE_NAME + ".corrupt-" + CORRUPT_STAMP.format(clock.instant()));
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            log.error("tls-rpt: the counter file {} is unreadable ({}); set aside as {}, counting starts again from zero",
                    file, e.getMessage(), aside.getFileName());
            return List.of();
        }
    }

    /** Writes the counts durably, replacing the file atomically. */
    public synchronized void save(List<DayCounts> days) throws IOException {
        byte[] bytes = json.writeValueAsBytes(encode(days));
        Path temp = directory.resolve("." + FILE_NAME + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private ObjectNode encode(List<DayCounts> days) {
        ObjectNode root = json.createObjectNode().put("format", FORMAT);
        ArrayNode dayNodes = root.putArray("days");
        for (DayCounts day : days) {
            ObjectNode dayNode = dayNodes.addObject().put("day", day.day().toString()).put("dropped-sessions", day.droppedSessions());
            ArrayNode domainNodes = dayNode.putArray("domains");
            for (DomainCounts domain : day.domains()) {
                ObjectNode domainNode = domainNodes.addObject().put("domain", domain.domain())
                        .put("dropped-failure-rows", domain.droppedFailureRows());
                ArrayNode policyNodes = domainNode.putArray("policies");
                for (PolicyCounts policy : domain.policies()) {
                    ObjectNode policyNode = policyNodes.addObject().put("type", policy.policy().type().label());
                    policy.policy().policyStrings().forEach(policyNode.putArray("policy-strings")::add);
                    policy.policy().mxHosts().forEach(policyNode.putArray("mx-hosts")::add);
                    policyNode.put("successes", policy.successes()).put("failures", policy.failures());
                    ArrayNode rowNodes = policyNode.putArray("failure-rows");
                    for (FailureCount row : policy.failureRows()) {
                        TlsSession.Failure f = row.failure();
                        ObjectNode rowNode = rowNodes.addObject().put("cause", f.cause().label());
                        f.receivingMxHostname().ifPresent(v -> rowNode.put("receiving-mx-hostname", v));
                        f.receivingIp().ifPresent(v -> rowNode.put("receiving-ip", v));
                        f.receivingMxHelo().ifPresent(v -> rowNode.put("receiving-mx-helo", v));
                        f.sendingMtaIp().ifPresent(v -> rowNode.put("sending-mta-ip", v));
                        f.failureReasonCode().ifPresent(v -> rowNode.put("failure-reason-code", v));
                        f.additionalInformation().ifPresent(v -> rowNode.put("additional-information", v));
                        rowNode.put("count", row.count());
                    }
                }
            }
        }
        return root;
    }

    private List<DayCounts> decode(byte[] bytes) {
        JsonNode root;
        try {
            root = json.readTree(bytes);
        } catch (JacksonException e) {
            throw new CorruptFile("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CorruptFile(e.getMessage());
        }
        if (root == null || !root.isObject() || root.path("format").asInt(-1) != FORMAT) {
            throw new CorruptFile("not a format " + FORMAT + " counter file");
        }
        try {
            List<DayCounts> days = new ArrayList<>();
            for (JsonNode dayNode : array(root, "days")) {
                List<DomainCounts> domains = new ArrayList<>();
                LocalDate day = LocalDate.parse(text(dayNode, "day"));
                for (JsonNode domainNode : array(dayNode, "domains")) {
                    List<PolicyCounts> policies = new ArrayList<>();
                    for (JsonNode policyNode : array(domainNode, "policies")) {
                        policies.add(policy(policyNode));
                    }
                    domains.add(new DomainCounts(day, text(domainNode, "domain"), policies, count(domainNode, "dropped-failure-rows")));
                }
                days.add(new DayCounts(day, domains, count(dayNode, "dropped-sessions")));
            }
            return days;
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new CorruptFile(e.getMessage());
        }
    }

    private PolicyCounts policy(JsonNode node) {
        String typeLabel = text(node, "type");
        PolicyType type = PolicyType.fromLabel(typeLabel).orElseThrow(() -> new CorruptFile("unknown policy type " + typeLabel));
        SessionPolicy policy = new SessionPolicy(type, strings(node, "policy-strings"), strings(node, "mx-hosts"));
        List<FailureCount> rows = new ArrayList<>();
        for (JsonNode row : array(node, "failure-rows")) {
            String label = text(row, "cause");
            Cause cause = Cause.fromLabel(label).orElseThrow(() -> new CorruptFile("unknown cause " + label));
            TlsSession.Failure failure = new TlsSession.Failure(cause, optional(row, "receiving-mx-hostname"),
                    optional(row, "receiving-ip"), optional(row, "receiving-mx-helo"), optional(row, "sending-mta-ip"),
                    optional(row, "failure-reason-code"), optional(row, "additional-information"));
            rows.add(new FailureCount(failure, count(row, "count")));
        }
        return new PolicyCounts(policy, count(node, "successes"), count(node, "failures"), rows);
    }

    private static Iterable<JsonNode> array(JsonNode node, String name) {
        Optional<JsonNode> list = present(node, name, JsonNode::isArray, "a list");
        return list.isPresent() ? list.get() : List.of();
    }

    private static List<String> strings(JsonNode node, String name) {
        List<String> strings = new ArrayList<>();
        for (JsonNode item : array(node, name)) {
            if (!item.isTextual()) {
                throw new CorruptFile(name + " holds a non-string");
            }
            strings.add(item.asText());
        }
        return strings;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.path(name);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new CorruptFile(name + " is missing");
        }
        return value.asText();
    }

    private static Optional<String> optional(JsonNode node, String name) {
        return present(node, name, JsonNode::isTextual, "a string").map(JsonNode::asText);
    }

    /** The field {@code name} when there is one, which must then be {@code what} ({@code ofType}). */
    private static Optional<JsonNode> present(JsonNode node, String name, Predicate<JsonNode> ofType, String what) {
        JsonNode value = node.path(name);
        if (value.isMissingNode()) {
            return Optional.empty();
        }
        if (!ofType.test(value)) {
            throw new CorruptFile(name + " is not " + what);
        }
        return Optional.of(value);
    }

    private static long count(JsonNode node, String name) {
        JsonNode value = node.path(name);
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
            throw new CorruptFile(name + " is not a count");
        }
        return value.asLong();
    }

    private static final class CorruptFile extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CorruptFile(String message) {
            super(message, null, false, false);
        }
    }
}
