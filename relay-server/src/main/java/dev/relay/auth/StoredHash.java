package dev.relay.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * A password hash as stored in the users file, in one of the self-describing formats:
 * <ul>
 *   <li>bcrypt: {@code $2b$12$<22 chars salt><31 chars hash>} (also {@code $2a$}, {@code $2y$}),
 *       as {@code htpasswd -B} and most libraries write it;
 *   <li>PBKDF2: {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>} (or {@code pbkdf2-sha512}),
 *       salt and hash in adapted base64, as Python's passlib writes it;
 *   <li>scrypt: {@code $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>}, passlib's format.
 * </ul>
 * Parsing checks the parameters are sane (so a typo is caught at start, not at the first login)
 * and bounded (so a users file cannot make one login cost gigabytes or minutes). Messages never
 * contain the hash itself.
 */
sealed interface StoredHash {

    /** Whether the password hashes to this; compares in constant time. Slow by design. */
    boolean matches(char[] password);

    static StoredHash parse(String text) {
        if (!text.startsWith("$")) {
            throw new IllegalArgumentException("password is not hashed; plain text is refused "
                    + "(make a hash with: relay.jar users hash)");
        }
        int end = text.indexOf('$', 1);
        String scheme = end < 0 ? text : text.substring(0, end + 1);
        return switch (scheme) {
            case "$2a$", "$2b$", "$2y$" -> Bcrypt.parse(text);
            case "$pbkdf2-sha256$", "$pbkdf2-sha512$" -> Pbkdf2.parse(text);
            case "$scrypt$" -> Scrypt.parse(text);
            default -> throw new IllegalArgumentException("unknown hash scheme \"" + shown(scheme)
                    + "\" (supported: bcrypt $2a$ $2b$ $2y$, $pbkdf2-sha256$, $pbkdf2-sha512$, $scrypt$)");
        };
    }

    private static String shown(String scheme) {
        // the scheme name is harmless to show; anything long is probably a hash without its scheme
        return scheme.length() > 20 ? scheme.substring(0, 20) + "..." : scheme;
    }

    /** bcrypt, as OpenBSD defines it: a password counts up to its first 72 bytes. */
    @SuppressWarnings("ArrayRecordComponent") // salt and hash go to the hash function as they are; never compared with equals
    record Bcrypt(String version, int cost, byte[] salt, String hash) implements StoredHash {
        private static final Pattern FORMAT = Pattern.compile("\\$(2[aby])\\$(\\d\\d)\\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})");
        static final int MAX_PASSWORD_BYTES = 72;

        static Bcrypt parse(String text) {
            Matcher m = matched(FORMAT, text, "bcrypt", "$2b$<cost>$ and 53 characters");
            int cost = Integer.parseInt(m.group(2));
            if (cost < 4 || cost > 31) {
                throw new IllegalArgumentException("bcrypt cost " + cost + " out of range 4-31");
            }
            return new Bcrypt(m.group(1), cost, Base64s.decodeBcrypt(m.group(3), 16), m.group(4));
        }

        @Override
        public boolean matches(char[] password) {
            byte[] bytes = Passwords.utf8(password);
            byte[] key = bytes.length > MAX_PASSWORD_BYTES ? Arrays.copyOf(bytes, MAX_PASSWORD_BYTES) : bytes;
            String computed = OpenBSDBCrypt.generate(version, key, salt, cost);
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(key, (byte) 0);
            // compare the hash part only: the salt part is ours already, and re-encoding may differ in unused bits
            String computedHash = computed.substring(computed.length() - 31);
            return MessageDigest.isEqual(computedHash.getBytes(StandardCharsets.US_ASCII),
                    hash.getBytes(StandardCharsets.US_ASCII));
        }
    }

    @SuppressWarnings("ArrayRecordComponent") // salt and hash go to the hash function as they are; never compared with equals
    record Pbkdf2(String algorithm, int iterations, byte[] salt, byte[] hash) implements StoredHash {
        private static final Pattern FORMAT = Pattern.compile("\\$pbkdf2-(sha256|sha512)\\$([1-9]\\d{0,8})\\$([./A-Za-z0-9]+)\\$([./A-Za-z0-9]+)");
        static final int MIN_ITERATIONS = 1000;
        static final int MAX_ITERATIONS = 10_000_000;

        static Pbkdf2 parse(String text) {
            Matcher m = matched(FORMAT, text, "PBKDF2", "$pbkdf2-sha256$<iterations>$<salt>$<hash>");
            int iterations = Integer.parseInt(m.group(2));
            if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
                throw new IllegalArgumentException("PBKDF2 iterations " + iterations + " out of range "
                        + MIN_ITERATIONS + "-" + MAX_ITERATIONS);
            }
            byte[] salt = decode(m.group(3), "salt");
            byte[] hash = decode(m.group(4), "hash");
            checkSizes(salt, hash, "PBKDF2");
            String algorithm = m.group(1).equals("sha256") ? "PBKDF2WithHmacSHA256" : "PBKDF2WithHmacSHA512";
            return new Pbkdf2(algorithm, iterations, salt, hash);
        }

        static byte[] derive(String algorithm, char[] password, byte[] salt, int iterations, int length) {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, length * 8);
            try {
                return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(algorithm + " is part of every JDK", e);
            } finally {
                spec.clearPassword();
            }
        }

        @Override
        public boolean matches(char[] password) {
            // the JDK's PBKDF2 hashes the UTF-8 bytes of the chars, as passlib does
            return MessageDigest.isEqual(derive(algorithm, password, salt, iterations, hash.length), hash);
        }
    }

    @SuppressWarnings("ArrayRecordComponent") // salt and hash go to the hash function as they are; never compared with equals
    record Scrypt(int log2N, int r, int p, byte[] salt, byte[] hash) implements StoredHash {
        private static final Pattern FORMAT = Pattern.compile("\\$scrypt\\$ln=(\\d{1,2}),r=(\\d{1,3}),p=(\\d{1,3})\\$([./A-Za-z0-9]+)\\$([./A-Za-z0-9]+)");
        static final long MAX_MEMORY = 256L << 20;

        static Scrypt parse(String text) {
            Matcher m = matched(FORMAT, text, "scrypt", "$scrypt$ln=<n>,r=<r>,p=<p>$<salt>$<hash>");
            int ln = Integer.parseInt(m.group(1));
            int r = Integer.parseInt(m.group(2));
            int p = Integer.parseInt(m.group(3));
            if (ln < 1 || ln > 24 || r < 1 || r > 64 || p < 1 || p > 16) {
                throw new IllegalArgumentException("scrypt parameters out of range (ln 1-24, r 1-64, p 1-16)");
            }
            long memory = 128L * r * (1L << ln);
            if (memory > MAX_MEMORY) {
                throw new IllegalArgumentException("scrypt parameters need " + (memory >> 20) + " MB per check; at most "
                        + (MAX_MEMORY >> 20) + " MB is allowed");
            }
            byte[] salt = decode(m.group(4), "salt");
            byte[] hash = decode(m.group(5), "hash");
            checkSizes(salt, hash, "scrypt");
            return new Scrypt(ln, r, p, salt, hash);
        }

        @Override
        public boolean matches(char[] password) {
            byte[] bytes = Passwords.utf8(password);
            try {
                return MessageDigest.isEqual(SCrypt.generate(bytes, salt, 1 << log2N, r, p, hash.length), hash);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /** {@code text} read by its scheme's {@code format}; else "malformed SCHEME hash (expected SHAPE)". */
    private static Matcher matched(Pattern format, String text, String scheme, String expected) {
        Matcher m = format.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("malformed " + scheme + " hash (expected " + expected + ")");
        }
        return m;
    }

    /** A passlib salt and hash: at least 8 bytes of salt, a hash of 16 to 64 bytes. */
    private static void checkSizes(byte[] salt, byte[] hash, String scheme) {
        if (salt.length < 8 || hash.length < 16 || hash.length > 64) {
            throw new IllegalArgumentException("malformed " + scheme + " hash (salt under 8 bytes or hash not 16-64 bytes)");
        }
    }

    private static byte[] decode(String text, String what) {
        try {
            return Base64s.decodeAdapted(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed " + what + " (expected adapted base64)");
        }
    }
}
