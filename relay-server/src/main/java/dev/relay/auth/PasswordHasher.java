package dev.relay.auth;

import dev.relay.label.DashedLabel;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Makes password hashes for the users file, in the formats {@link UsersFile} reads:
 * <ul>
 *   <li>{@code bcrypt}: {@code $2b$<cost>$...} (default, cost 12). bcrypt reads only the first
 *       72 bytes of a password, so longer passwords are refused here: use PBKDF2 for them.
 *   <li>{@code pbkdf2-sha256}: {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>}, passlib's format
 *       (600 000 iterations by default, OWASP's 2023 figure).
 *   <li>{@code scrypt}: {@code $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>}, passlib's format
 *       (ln=15, r=8, p=1 by default: 32 MB per check).
 * </ul>
 * Salts are 16 random bytes from {@link SecureRandom}.
 */
public final class PasswordHasher {

    /**
     * The schemes by name, as a {@code users hash --scheme} option would give them: {@code bcrypt},
     * {@code pbkdf2-sha256}, {@code scrypt}.
     */
    public enum Scheme implements DashedLabel {
        BCRYPT,
        PBKDF2_SHA256,
        SCRYPT;

        /** @throws IllegalArgumentException naming the schemes there are */
        public static Scheme fromLabel(String label) {
            return DashedLabel.fromLabel(Scheme.class, label).orElseThrow(() -> new IllegalArgumentException(
                    "unknown scheme \"" + label + "\" (expected bcrypt, pbkdf2-sha256 or scrypt)"));
        }
    }

    public static final int DEFAULT_BCRYPT_COST = 12;
    public static final int DEFAULT_PBKDF2_ITERATIONS = 600_000;
    public static final int DEFAULT_SCRYPT_LOG2N = 15;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Scheme scheme;
    private final int work;
    private final SecureRandom random;

    private PasswordHasher(Scheme scheme, int work, SecureRandom random) {
        this.scheme = scheme;
        this.work = work;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** bcrypt at cost 12. */
    public static PasswordHasher defaultHasher() {
        return bcrypt(DEFAULT_BCRYPT_COST);
    }

    /** The scheme with its default work factor. */
    public static PasswordHasher of(Scheme scheme) {
        return switch (scheme) {
            case BCRYPT -> bcrypt(DEFAULT_BCRYPT_COST);
            case PBKDF2_SHA256 -> pbkdf2Sha256(DEFAULT_PBKDF2_ITERATIONS);
            case SCRYPT -> scrypt(DEFAULT_SCRYPT_LOG2N);
        };
    }

    /** @param cost 4 to 31; each step doubles the time */
    public static PasswordHasher bcrypt(int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be 4-31, got " + cost);
        }
        return new PasswordHasher(Scheme.BCRYPT, cost, new SecureRandom());
    }

    public static PasswordHasher pbkdf2Sha256(int iterations) {
        if (iterations < StoredHash.Pbkdf2.MIN_ITERATIONS || iterations > StoredHash.Pbkdf2.MAX_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations must be " + StoredHash.Pbkdf2.MIN_ITERATIONS + "-"
                    + StoredHash.Pbkdf2.MAX_ITERATIONS + ", got " + iterations);
        }
        return new PasswordHasher(Scheme.PBKDF2_SHA256, iterations, new SecureRandom());
    }

    /** scrypt with r=8, p=1; {@code log2N} 1 to 18 (N = 2^log2N; memory 128 * 8 * N bytes). */
    public static PasswordHasher scrypt(int log2N) {
        if (log2N < 1 || log2N > 18) {
            throw new IllegalArgumentException("scrypt ln must be 1-18, got " + log2N);
        }
        return new PasswordHasher(Scheme.SCRYPT, log2N, new SecureRandom());
    }

    public Scheme scheme() {
        return scheme;
    }

    /**
     * A new salted hash of the password, for a {@code username:hash} line.
     *
     * @throws IllegalArgumentException for an empty password, or one over 72 bytes with bcrypt
     */
    public String hash(char[] password) {
        byte[] bytes = Passwords.utf8(password);
        try {
            if (bytes.length == 0) {
                throw new IllegalArgumentException("empty password");
            }
            byte[] salt = new byte[SALT_BYTES];
            random.nextBytes(salt);
            return switch (scheme) {
                case BCRYPT -> {
                    if (bytes.length > StoredHash.Bcrypt.MAX_PASSWORD_BYTES) {
                        throw new IllegalArgumentException("bcrypt uses only the first 72 bytes of a password; "
                                + "this one has " + bytes.length + ": use pbkdf2-sha256");
                    }
                    yield OpenBSDBCrypt.generate("2b", bytes, salt, work);
                }
                case PBKDF2_SHA256 -> "$pbkdf2-sha256$" + work + "$" + Base64s.encodeAdapted(salt) + "$"
                        + Base64s.encodeAdapted(StoredHash.Pbkdf2.derive("PBKDF2WithHmacSHA256", password, salt, work, HASH_BYTES));
                case SCRYPT -> "$scrypt$ln=" + work + ",r=8,p=1$" + Base64s.encodeAdapted(salt) + "$"
                        + Base64s.encodeAdapted(SCrypt.generate(bytes, salt, 1 << work, 8, 1, HASH_BYTES));
            };
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Whether a stored hash (any supported format) matches the password; false for a malformed hash. */
    public static boolean matches(String storedHash, char[] password) {
        try {
            return StoredHash.parse(storedHash).matches(password);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
