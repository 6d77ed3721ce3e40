package dev.relay.smtp.client;

import java.io.IOException;

/** The stored body could not be read (or was not the size recorded) while it was being sent. */
final class BodyReadException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyReadException(IOException cause) {
        super(cause.getMessage(), cause);
    }

    BodyReadException(String message) {
        super(message);
    }
}
