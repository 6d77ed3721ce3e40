package dev.relay.cli;

/**
 * A mistake the user can fix (bad config, missing file, port in use): printed as one line,
 * exit code 2, never a stack trace.
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
