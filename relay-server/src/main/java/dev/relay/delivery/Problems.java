package dev.relay.delivery;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Words for an unexpected error, for a reason a mail admin reads: its message, never a Java class name. */
final class Problems {
    private Problems() {}

    static String describe(Throwable error) {
        Throwable root = error;
        while ((root instanceof CompletionException || root instanceof ExecutionException) && root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? "an internal error (see the relay's log)" : message;
    }
}
