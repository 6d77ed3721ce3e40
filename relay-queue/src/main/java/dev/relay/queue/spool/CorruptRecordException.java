package dev.relay.queue.spool;

import java.io.IOException;

/** A record whose checksum holds but whose content cannot be understood. */
final class CorruptRecordException extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptRecordException(String message) {
        super(message);
    }

    CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
