package dev.relay.mtasts;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest time the relay found a domain's cached MTA-STS policy out of step with the live one,
 * for the status page: different text under the same TXT id, or MX hosts that the cached policy
 * does not match while the live one does. Either way the live policy was adopted.
 *
 * @param at when it was found
 * @param id the TXT id the new policy was fetched under
 * @param what one line: what differed and what the relay did
 */
public record StalePolicy(String domain, Instant at, String id, String what) {
    public StalePolicy {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(what, "what");
    }
}
