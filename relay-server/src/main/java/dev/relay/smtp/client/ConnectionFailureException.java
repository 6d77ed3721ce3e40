package dev.relay.smtp.client;

import dev.relay.concurrent.FutureFailures;
import java.util.Objects;

/**
 * Carries a {@link ConnectionFailure} through a failed future (from
 * {@link SmtpClient#connect}); no stack trace, since it is an expected outcome.
 */
public final class ConnectionFailureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ConnectionFailure failure;

    public ConnectionFailureException(ConnectionFailure failure) {
        super(failure.toString(), null, false, false);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public ConnectionFailure failure() {
        return failure;
    }

    /** The failure inside a future's exception, or a protocol error describing an unexpected one. */
    static ConnectionFailure unwrap(Throwable error, Stage stage) {
        Throwable cause = FutureFailures.cause(error);
        if (cause instanceof ConnectionFailureException failed) {
            return failed.failure();
        }
        return new ConnectionFailure.LocalError(stage, String.valueOf(cause));
    }
}
