package dev.relay.auth;

import dev.relay.settings.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code users-file}: one user per line as {@code username:hash}, {@code #} comments and
 * blank lines ignored. Hashes are bcrypt, PBKDF2 or scrypt in their usual self-describing
 * formats (see {@link PasswordHasher}); plain text and unknown schemes are refused when the file
 * is loaded, with the line number and never the hash.
 *
 * <p>Checking a password is slow on purpose (a bcrypt cost 12 hash takes about a quarter of a
 * second): call {@link #authenticate} off the network event loop. An unknown user costs about
 * the same as a wrong password, so timing does not reveal which user names exist.
 */
public final class UsersFile implements Authenticator {

    private final Map<String, StoredHash> users;
    private final Optional<StoredHash> decoy;

    private UsersFile(Map<String, StoredHash> users) {
        this.users = Collections.unmodifiableMap(users);
        // an unknown user is checked against a real entry's hash, so it costs what a known one costs
        this.decoy = users.values().stream().findFirst();
    }

    /**
     * The authenticator for a configured {@code users-file}: the loaded file, or
     * {@link Authenticator#NONE} when none is configured.
     *
     * @throws ConfigException as {@link #load(Path)}
     */
    public static Authenticator forConfig(Optional<Path> usersFile) {
        return usersFile.<Authenticator>map(UsersFile::load).orElse(Authenticator.NONE);
    }

    /**
     * Reads and checks the file.
     *
     * @throws ConfigException one line: {@code users-file: <path>:<line>: <problem>}, or
     *     {@code users-file: <path>: <problem>} when the file cannot be read
     */
    public static UsersFile load(Path path) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(path))).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException("users-file", path + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException("users-file", path + ": not readable (permission denied)");
        } catch (CharacterCodingException e) {
            throw new ConfigException("users-file", path + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException("users-file", path + ": cannot read: " + e.getMessage());
        }
        return parse(text, path.toString());
    }

    /**
     * Parses the content of a users file.
     *
     * @param source names the file in error messages
     */
    public static UsersFile parse(String content, String source) {
        Map<String, StoredHash> users = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        String[] lines = content.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw lineError(source, number, "expected username:hash");
            }
            String username = line.substring(0, colon).strip();
            String hash = line.substring(colon + 1).strip();
            if (username.isEmpty()) {
                throw lineError(source, number, "empty user name");
            }
            if (!username.codePoints().allMatch(c -> c > 0x20 && c != 0x7f)) {
                throw lineError(source, number, "user name must not contain spaces or control characters");
            }
            if (hash.isEmpty()) {
                throw lineError(source, number, "no password hash for user \"" + username + "\"");
            }
            StoredHash stored;
            try {
                stored = StoredHash.parse(hash);
            } catch (IllegalArgumentException e) {
                throw lineError(source, number, e.getMessage());
            }
            Integer first = lineOf.putIfAbsent(username, number);
            if (first != null) {
                throw lineError(source, number, "user \"" + username + "\" is already on line " + first);
            }
            users.put(username, stored);
        }
        return new UsersFile(users);
    }

    private static ConfigException lineError(String source, int line, String problem) {
        return new ConfigException("users-file", source + ":" + line + ": " + problem);
    }

    @Override
    public Optional<String> authenticate(String username, char[] password) {
        StoredHash stored = users.get(username);
        if (stored == null) {
            decoy.ifPresent(d -> d.matches(password));
            return Optional.empty();
        }
        return stored.matches(password) ? Optional.of(username) : Optional.empty();
    }

    /** The user names, in file order (for logs and {@code config check}). */
    public Set<String> usernames() {
        return users.keySet();
    }
}
