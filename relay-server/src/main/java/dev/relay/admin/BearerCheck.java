package dev.relay.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Compares a presented bearer token with {@code admin.token} in constant time. Both sides are
 * hashed first so that not even the token's length leaks through timing.
 */
final class BearerCheck {

    private final Optional<byte[]> expected;

    BearerCheck(Optional<String> token) {
        this.expected = token.map(BearerCheck::digest);
    }

    boolean required() {
        return expected.isPresent();
    }

    boolean allows(Optional<String> presented) {
        if (expected.isEmpty()) {
            return true;
        }
        byte[] given = digest(presented.orElse(""));
        // evaluated even when nothing was presented, so both paths cost the same
        boolean same = MessageDigest.isEqual(expected.get(), given);
        return same && presented.isPresent();
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
