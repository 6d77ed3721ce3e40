package dev.relay.mtasts;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.settings.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policies on disk under {@code mta-sts.cache-directory}, so that a restart does not
 * reopen the first-contact window (RFC 8461 section 10.2). One JSON file per domain holding
 * the domain, the TXT id, the fetch instant and the policy text exactly as served; the text is
 * parsed again at load, so a file never carries a policy the parser would not accept today.
 *
 * <p>Writes are atomic and durable: temp file, fsync, rename over the old file, fsync of the
 * directory. A file that cannot be read or no longer parses is logged, renamed to
 * {@code *.corrupt} (kept for inspection, never read again) and skipped: a bad file never stops
 * the relay from starting. Expired policies are dropped (and their files deleted) at load and
 * by {@link #prune}. Methods are synchronized: the store is touched rarely (once per fetch),
 * and one lock keeps a prune from deleting a file a save has just replaced.
 */
public final class PolicyStore {
    private static final Logger log = LoggerFactory.getLogger(PolicyStore.class);

    private static final String SUFFIX = ".json";
    private static final int FORMAT = 1;
    // a policy domain as normalized, short enough for any file system; others get a hashed name
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,199}");

    private final Path directory;
    private final JsonMapper json = JsonMapper.builder().build();

    private PolicyStore(Path directory) {
        this.directory = directory;
    }

    /**
     * The store in this directory, created when missing.
     *
     * @throws ConfigException naming {@code mta-sts.cache-directory} when the directory cannot be
     *     created or is not a directory
     */
    public static PolicyStore open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new ConfigException("mta-sts.cache-directory", directory + ": cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isWritable(directory)) {
            throw new ConfigException("mta-sts.cache-directory", directory + ": not writable");
        }
        return new PolicyStore(directory);
    }

    public Path directory() {
        return directory;
    }

    /**
     * A domain's stored policy as a diagnostic sees it.
     *
     * @param id the TXT id it was fetched under
     * @param fetchedAt when; it expires max_age later
     */
    public record Stored(String id, Instant fetchedAt, Policy policy) {
        public Instant expiresAt() {
            return fetchedAt.plus(policy.maxAge());
        }
    }

    /**
     * Reads a domain's policy from a cache directory without changing anything there (nothing
     * created, nothing set aside), for {@code mta-sts check} beside a running relay.
     *
     * @return empty when the directory or the file is missing or unreadable
     */
    public static Optional<Stored> peek(Path directory, String domain) {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        PolicyStore store = new PolicyStore(directory);
        Path file = store.fileFor(PolicyDomains.normalize(domain));
        try {
            CachedPolicy cached = store.decode(file, Files.readAllBytes(file));
            return Optional.of(new Stored(cached.id(), cached.fetchedAt(), cached.policy()));
        } catch (IOException | CorruptFile | UncheckedIOException unreadable) {
            return Optional.empty();
        }
    }

    /** Every stored policy still valid at {@code now}; expired ones are deleted, bad ones set aside. */
    synchronized List<CachedPolicy> load(Instant now) {
        List<CachedPolicy> loaded = new ArrayList<>();
        for (Path file : files()) {
            Optional<CachedPolicy> policy = read(file);
            if (policy.isEmpty()) {
                continue;
            }
            CachedPolicy p = policy.get();
            if (p.isExpired(now)) {
                log.info("mta-sts cache: policy of {} (id {}) expired at {}; dropped", p.domain(), p.id(), p.expiresAt());
                deleteQuietly(file);
                continue;
            }
            loaded.add(p);
        }
        return loaded;
    }

    /** Writes (or replaces) the domain's policy durably. */
    synchronized void save(CachedPolicy policy) throws IOException {
        ObjectNode node = json.createObjectNode()
                .put("format", FORMAT)
                .put("domain", policy.domain())
                .put("id", policy.id())
                .put("fetchedAt", policy.fetchedAt().toString())
                .put("policy", policy.text());
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        Path target = fileFor(policy.domain());
        Path temp = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Deletes the files of policies expired at {@code now}; returns how many. */
    synchronized int prune(Instant now) {
        int deleted = 0;
        for (Path file : files()) {
            Optional<CachedPolicy> policy = read(file);
            if (policy.isPresent() && policy.get().isExpired(now)) {
                deleteQuietly(file);
                deleted++;
            }
        }
        return deleted;
    }

    /** The file of a domain's policy (which need not exist). */
    Path fileFor(String domain) {
        String name = PLAIN_NAME.matcher(domain).matches() ? domain : "sha256-" + sha256(domain);
        return directory.resolve(name + SUFFIX);
    }

    private List<Path> files() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : stream) {
                if (!file.getFileName().toString().startsWith(".") && Files.isRegularFile(file)) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            log.error("mta-sts cache: cannot list {}: {}; starting without cached policies", directory, e.toString());
        }
        files.sort(null);
        return files;
    }

    private Optional<CachedPolicy> read(Path file) {
        try {
            return Optional.of(decode(file, Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted meanwhile: nothing to say
        } catch (IOException e) {
            log.warn("mta-sts cache: cannot read {}: {}; skipped", file, e.toString());
            return Optional.empty();
        } catch (CorruptFile e) {
            setAside(file, e.getMessage());
            return Optional.empty();
        }
    }

    private CachedPolicy decode(Path file, byte[] bytes) {
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JacksonException e) {
            throw new CorruptFile("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from memory does not fail
        }
        if (node == null || !node.isObject() || node.path("format").asInt(-1) != FORMAT) {
            throw new CorruptFile("not a format " + FORMAT + " policy file");
        }
        String domain = text(node, "domain");
        String id = text(node, "id");
        String text = text(node, "policy");
        Instant fetchedAt;
        try {
            fetchedAt = Instant.parse(text(node, "fetchedAt"));
        } catch (DateTimeParseException e) {
            throw new CorruptFile("fetchedAt is not an instant");
        }
        if (!fileFor(domain).getFileName().equals(file.getFileName())) {
            throw new CorruptFile("holds the policy of " + domain + ", which belongs in " + fileFor(domain).getFileName());
        }
        return switch (PolicyParser.parse(text)) {
            case PolicyParse.Valid valid -> new CachedPolicy(domain, id, fetchedAt, text, valid.policy());
            case PolicyParse.Invalid invalid -> throw new CorruptFile("the stored policy of " + domain
                    + " is not valid: " + invalid.reason());
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new CorruptFile("no " + field);
        }
        return value.asText();
    }

    private void setAside(Path file, String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            log.warn("mta-sts cache: {} is unusable ({}); moved to {} and skipped", file, why, aside.getFileName());
        } catch (IOException e) {
            log.warn("mta-sts cache: {} is unusable ({}); skipped", file, why);
        }
    }

    private void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
            syncDirectory();
        } catch (IOException e) {
            log.warn("mta-sts cache: cannot delete {}: {}", file, e.toString());
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }

    @Override
    public String toString() {
        return "PolicyStore[" + directory + "]";
    }

    /** Why a file's content cannot be a stored policy. */
    private static final class CorruptFile extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CorruptFile(String message) {
            super(message, null, false, false);
        }
    }
}
