package dev.relay;

/**
 * The relay cannot start for a reason the operator can fix (port in use, spool locked,
 * unreadable certificate). The message is one line naming what and where.
 */
public final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
