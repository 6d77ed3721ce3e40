package dev.relay.auth;

import java.util.Base64;

/**
 * The two base64 dialects of password hash strings: bcrypt's own alphabet, and passlib's
 * "adapted base64" (standard alphabet, {@code .} for {@code +}, no padding) used by the
 * {@code $pbkdf2-*} and {@code $scrypt$} formats.
 */
final class Base64s {

    private static final String BCRYPT = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private Base64s() {}

    /** @throws IllegalArgumentException if the text is not adapted base64 */
    static byte[] decodeAdapted(String text) {
        if (text.indexOf('+') >= 0 || text.indexOf('=') >= 0) {
            throw new IllegalArgumentException("not adapted base64");
        }
        return Base64.getDecoder().decode(text.replace('.', '+'));
    }

    static String encodeAdapted(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes).replace('+', '.');
    }

    /** The first {@code length} bytes that bcrypt base64 text encodes. */
    static byte[] decodeBcrypt(String text, int length) {
        byte[] out = new byte[length];
        int bits = 0;
        int buffer = 0;
        int at = 0;
        for (int i = 0; i < text.length() && at < length; i++) {
            int v = BCRYPT.indexOf(text.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("not bcrypt base64");
            }
            buffer = (buffer << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[at++] = (byte) (buffer >> bits);
            }
        }
        if (at < length) {
            throw new IllegalArgumentException("too short");
        }
        return out;
    }
}
