package dev.relay.queue;

import java.io.IOException;

/**
 * The spool has no room for this write: a new message was refused before any of it was written
 * (so "not queued" is true), or a state change could not be recorded before the spool closed.
 * It passes once space comes back; no restart is needed.
 */
public final class SpoolFullException extends IOException {
    private static final long serialVersionUID = 1L;

    public SpoolFullException(String message) {
        super(message);
    }
}
