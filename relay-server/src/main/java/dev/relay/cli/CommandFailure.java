package dev.relay.cli;

/**
 * The relay was reached and said no (an unknown queue id, say): one line on stderr, exit code 1.
 * Distinct from {@link UserError} (exit 2), which means the command could not even ask.
 */
final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
        super(message);
    }
}
