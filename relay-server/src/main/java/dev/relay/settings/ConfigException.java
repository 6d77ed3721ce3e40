package dev.relay.settings;

import java.util.Optional;

/**
 * A user error in the configuration or in a file it names: one line, fit to print as it is
 * (the command line prints {@link #getMessage()} and exits 2). The message starts with the key
 * path ({@code listeners[1].starttls: ...}) or the file ({@code /etc/relay/relay.yaml: ...}).
 *
 * <p>Unchecked, so that loading can happen inside lambdas and constructors; the command line
 * catches it at the top.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Optional<String> keyPath;

    /** An error about one key: the message becomes {@code keyPath: detail}. */
    public ConfigException(String keyPath, String detail) {
        super(oneLine(keyPath + ": " + detail));
        this.keyPath = Optional.of(keyPath);
    }

    /** An error not tied to a key (a file, a syntax error): the message is used as it is. */
    public ConfigException(String message) {
        super(oneLine(message));
        this.keyPath = Optional.empty();
    }

    /** Like {@link #ConfigException(String, String)}, keeping the cause for debugging. */
    public ConfigException(String keyPath, String detail, Throwable cause) {
        super(oneLine(keyPath + ": " + detail), cause);
        this.keyPath = Optional.of(keyPath);
    }

    /** The key path the error is about, when it is about one. */
    public Optional<String> keyPath() {
        return keyPath;
    }

    private static String oneLine(String text) {
        // a promise to the command line: never more than one line, whatever a library said
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
