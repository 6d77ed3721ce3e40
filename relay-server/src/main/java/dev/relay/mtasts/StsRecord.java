package dev.relay.mtasts;

import java.util.Objects;

/**
 * The MTA-STS TXT record of a domain (RFC 8461 section 3.1), reduced to what a sender uses: the
 * policy {@code id}, 1 to 32 letters or digits, compared for equality only (a changed id means
 * "fetch the policy again").
 */
public record StsRecord(String id) {
    public StsRecord {
        Objects.requireNonNull(id, "id");
    }
}
