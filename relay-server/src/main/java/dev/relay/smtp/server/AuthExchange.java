package dev.relay.smtp.server;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * One AUTH dialogue (RFC 4954) for the PLAIN (RFC 4616) and LOGIN mechanisms: turns the AUTH
 * argument and each continuation line into the next step. Holds no secrets after it hands the
 * password out in {@link Verify}.
 */
final class AuthExchange {
    static final String MECHANISMS = "PLAIN LOGIN";
    private static final int MAX_IDENTITY = 255;
    private static final String USERNAME_CHALLENGE = base64("Username:");
    private static final String PASSWORD_CHALLENGE = base64("Password:");

    /** What the session does next. */
    sealed interface Step {}

    /** Send 334 with this (base64) text and wait for a response line. */
    record Challenge(String base64) implements Step {}

    /** Check these credentials; the receiver must zero the password afterwards. */
    @SuppressWarnings("ArrayRecordComponent") // a char[] so that the receiver can zero the password; never compared
    record Verify(String username, char[] password) implements Step {}

    /** End the dialogue with this reply. */
    record Fail(Reply reply) implements Step {}

    private enum Stage { PLAIN, LOGIN_USERNAME, LOGIN_PASSWORD, DONE }

    private Stage stage = Stage.DONE;
    private String username = "";

    /** Begins with the AUTH argument: "mechanism [initial-response]". */
    Step start(String argument) {
        String[] words = argument.split(" ", -1);
        if (argument.isEmpty() || words.length > 2) {
            return new Fail(Replies.SYNTAX_AUTH);
        }
        Optional<String> initial = words.length == 2 ? Optional.of(words[1]) : Optional.empty();
        return switch (words[0].toUpperCase(Locale.ROOT)) {
            case "PLAIN" -> {
                stage = Stage.PLAIN;
                yield initial.isPresent() ? respond(initial.get()) : new Challenge("");
            }
            case "LOGIN" -> {
                stage = Stage.LOGIN_USERNAME;
                yield initial.isPresent() ? respond(initial.get()) : new Challenge(USERNAME_CHALLENGE);
            }
            default -> new Fail(Replies.AUTH_UNKNOWN_MECHANISM);
        };
    }

    /** Handles one response line from the client. */
    Step respond(String line) {
        if (line.equals("*")) {
            stage = Stage.DONE;
            return new Fail(Replies.AUTH_CANCELLED);
        }
        byte[] decoded;
        try {
            // "=" is the empty initial response (RFC 4954 4)
            decoded = line.equals("=") ? new byte[0] : Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            stage = Stage.DONE;
            return new Fail(Replies.AUTH_BAD_RESPONSE);
        }
        try {
            return switch (stage) {
                case PLAIN -> plain(decoded);
                case LOGIN_USERNAME -> loginUsername(decoded);
                case LOGIN_PASSWORD -> loginPassword(decoded);
                case DONE -> new Fail(Replies.AUTH_BAD_RESPONSE);
            };
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /** message = [authzid] NUL authcid NUL passwd */
    private Step plain(byte[] message) {
        stage = Stage.DONE;
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (first < 0 || second < 0 || indexOf(message, second + 1) >= 0) {
            return new Fail(Replies.AUTH_BAD_RESPONSE);
        }
        Optional<String> authzid = identity(message, 0, first);
        Optional<String> authcid = identity(message, first + 1, second);
        if (authzid.isEmpty() || authcid.isEmpty() || authcid.get().isEmpty()) {
            return new Fail(Replies.AUTH_BAD_RESPONSE);
        }
        if (!authzid.get().isEmpty() && !authzid.get().equals(authcid.get())) {
            // acting on behalf of someone else is not supported
            return new Fail(Replies.AUTH_FAILED);
        }
        Optional<char[]> password = password(message, second + 1, message.length);
        return password.<Step>map(chars -> new Verify(authcid.get(), chars))
                .orElseGet(() -> new Fail(Replies.AUTH_BAD_RESPONSE));
    }

    private Step loginUsername(byte[] decoded) {
        Optional<String> name = identity(decoded, 0, decoded.length);
        if (name.isEmpty() || name.get().isEmpty()) {
            stage = Stage.DONE;
            return new Fail(Replies.AUTH_BAD_RESPONSE);
        }
        username = name.get();
        stage = Stage.LOGIN_PASSWORD;
        return new Challenge(PASSWORD_CHALLENGE);
    }

    private Step loginPassword(byte[] decoded) {
        stage = Stage.DONE;
        Optional<char[]> password = password(decoded, 0, decoded.length);
        return password.<Step>map(chars -> new Verify(username, chars))
                .orElseGet(() -> new Fail(Replies.AUTH_BAD_RESPONSE));
    }

    private static Optional<String> identity(byte[] bytes, int from, int to) {
        if (to - from > MAX_IDENTITY) {
            return Optional.empty();
        }
        Optional<char[]> chars = utf8(bytes, from, to);
        if (chars.isEmpty()) {
            return Optional.empty();
        }
        String text = new String(chars.get());
        boolean printable = text.codePoints().noneMatch(Character::isISOControl);
        return printable ? Optional.of(text) : Optional.empty();
    }

    private static Optional<char[]> password(byte[] bytes, int from, int to) {
        return utf8(bytes, from, to);
    }

    private static Optional<char[]> utf8(byte[] bytes, int from, int to) {
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from));
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        char[] result = new char[chars.remaining()];
        chars.get(result);
        if (chars.hasArray()) {
            Arrays.fill(chars.array(), '\0');
        }
        return Optional.of(result);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
