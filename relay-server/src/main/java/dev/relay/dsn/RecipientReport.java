package dev.relay.dsn;

import dev.relay.outcome.Outcome;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One per-recipient block of a delivery-status report (RFC 3464 section 2.3), with the outcome
 * it came from for the human-readable part. Values are as the relay knows them; the report
 * writer cleans and folds them on the way out.
 *
 * @param finalRecipient the address the relay tried to deliver to (RCPT TO)
 * @param originalRecipient ORCPT as accepted, {@code addr-type;address} (decoded)
 * @param action what happened
 * @param status the RFC 3463 status, e.g. {@code 5.1.1}
 * @param remoteMta the host that gave the verdict, when known
 * @param diagnosticCode the Diagnostic-Code value, e.g. {@code smtp; 550 5.1.1 no such user}
 * @param lastAttempt when delivery was last attempted
 * @param willRetryUntil for a delay: when the relay gives up
 * @param outcome the recorded outcome this block was made from
 */
public record RecipientReport(
        String finalRecipient,
        Optional<String> originalRecipient,
        DsnAction action,
        String status,
        Optional<String> remoteMta,
        Optional<String> diagnosticCode,
        Optional<Instant> lastAttempt,
        Optional<Instant> willRetryUntil,
        Outcome outcome) {

    private static final Pattern STATUS = Pattern.compile("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}");

    public RecipientReport {
        Objects.requireNonNull(finalRecipient, "finalRecipient");
        Objects.requireNonNull(originalRecipient, "originalRecipient");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        if (!STATUS.matcher(status).matches()) {
            throw new IllegalArgumentException("not an RFC 3463 status: " + status);
        }
        Objects.requireNonNull(remoteMta, "remoteMta");
        Objects.requireNonNull(diagnosticCode, "diagnosticCode");
        Objects.requireNonNull(lastAttempt, "lastAttempt");
        Objects.requireNonNull(willRetryUntil, "willRetryUntil");
        Objects.requireNonNull(outcome, "outcome");
    }
}
