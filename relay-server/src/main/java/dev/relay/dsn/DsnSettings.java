package dev.relay.dsn;

import dev.relay.queue.BodyType;
import dev.relay.queue.DsnReturn;
import dev.relay.queue.MailParameters;
import java.time.Duration;
import java.util.Objects;

/**
 * What DSNs need from configuration.
 *
 * @param hostname our host name: Reporting-MTA, the From and Message-ID domain, the DSN's HELO
 * @param maxLifetime {@code queue.max-lifetime}: Will-Retry-Until, and the words of expiry notices
 * @param fullReturnLimit RET=FULL returns the whole message up to this size, headers beyond it
 * @param unrequestedReturnLimit without RET, the whole message up to this size, headers beyond it
 */
public record DsnSettings(String hostname, Duration maxLifetime, long fullReturnLimit, long unrequestedReturnLimit) {

    /** Whole messages up to 10 MiB when RET=FULL asks: a bounce should not be a second 50 MB upload. */
    public static final long DEFAULT_FULL_RETURN_LIMIT = 10L << 20;
    /** Without RET, small messages come back whole (what senders expect), larger ones as headers. */
    public static final long DEFAULT_UNREQUESTED_RETURN_LIMIT = 256L << 10;

    public DsnSettings {
        Objects.requireNonNull(hostname, "hostname");
        if (hostname.isBlank()) {
            throw new IllegalArgumentException("hostname must not be blank");
        }
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (fullReturnLimit < 0 || unrequestedReturnLimit < 0) {
            throw new IllegalArgumentException("return limits must not be negative");
        }
    }

    public static DsnSettings of(String hostname, Duration maxLifetime) {
        return new DsnSettings(hostname, maxLifetime, DEFAULT_FULL_RETURN_LIMIT, DEFAULT_UNREQUESTED_RETURN_LIMIT);
    }

    /**
     * What a DSN of this kind returns of an original with these parameters and size. Only a
     * failure returns the whole message (RFC 3461 section 4.3: RET is about failed DSNs); a
     * BINARYMIME original comes back as headers, since binary cannot ride in a line-based report;
     * so does a REQUIRETLS original, whatever RET asked (RFC 8689 section 5: as if RET=HDRS, so
     * the body of a message the sender wanted kept off unauthenticated paths never travels in a
     * bounce).
     */
    public ReturnForm returnFor(DsnKind kind, MailParameters parameters, long size) {
        if (kind != DsnKind.FAILURE || parameters.body() == BodyType.BINARY_MIME || parameters.requireTls()) {
            return ReturnForm.HEADERS;
        }
        long limit = parameters.ret().map(ret -> ret == DsnReturn.FULL ? fullReturnLimit : -1L)
                .orElse(unrequestedReturnLimit);
        return size <= limit ? ReturnForm.FULL : ReturnForm.HEADERS;
    }
}
