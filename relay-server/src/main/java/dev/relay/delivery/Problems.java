package dev.relay.delivery;

import dev.relay.concurrent.FutureFailures;

/** Words for an unexpected error, for a reason a mail admin reads: its message, never a Java class name. */
final class Problems {
    private Problems() {}

    static String describe(Throwable error) {
        String message = FutureFailures.cause(error).getMessage();
        return message == null || message.isBlank() ? "an internal error (see the relay's log)" : message;
    }
}
