package dev.relay.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Password text to bytes, the way every scheme here hashes it: UTF-8. */
final class Passwords {

    private Passwords() {}

    /** The UTF-8 bytes of a password, without passing through an immutable String. */
    // the whole backing array is wiped on purpose: it is the encoder's own, and any of it may hold password bytes
    @SuppressWarnings("ByteBufferBackingArray")
    static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }
}
