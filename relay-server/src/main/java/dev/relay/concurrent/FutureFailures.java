package dev.relay.concurrent;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What went wrong inside a future: the failure, not the wrappers futures put around it. */
public final class FutureFailures {
    private FutureFailures() {}

    /**
     * {@code error} without its {@link CompletionException} and {@link ExecutionException}
     * wrappers (a future joined, or a stage depending on another, wraps the failure once more
     * each time); a wrapper without a cause is returned as it is.
     */
    public static Throwable cause(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * The words of the innermost cause, which is where a library says what happened (a connect
     * failure wraps "Connection refused" in two or three layers); "no detail" when it gave none,
     * rather than an exception's class name, which tells a mail admin nothing.
     */
    @SuppressWarnings("ReferenceEquality") // a cause that is the exception itself ends the walk: identity is meant
    public static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? "no detail" : root.getMessage();
    }
}
