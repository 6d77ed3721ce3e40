package dev.relay.dsn;

import dev.relay.queue.QueueId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A delivery-status report (RFC 3464): the per-message fields and one block per recipient.
 *
 * @param reportingMta our host name (Reporting-MTA: dns; ...)
 * @param originalEnvelopeId the ENVID the client gave, decoded
 * @param arrivalDate when the original message was accepted
 * @param queueId the original's queue id, reported as the X-Relay-Queue-ID extension field
 * @param recipients the blocks, in envelope order; at least one
 */
public record DsnReport(
        String reportingMta,
        Optional<String> originalEnvelopeId,
        Instant arrivalDate,
        Optional<QueueId> queueId,
        List<RecipientReport> recipients) {

    public DsnReport {
        Objects.requireNonNull(reportingMta, "reportingMta");
        Objects.requireNonNull(originalEnvelopeId, "originalEnvelopeId");
        Objects.requireNonNull(arrivalDate, "arrivalDate");
        Objects.requireNonNull(queueId, "queueId");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a report needs at least one recipient");
        }
    }

    /**
     * The body of the message/delivery-status part: per-message fields, then a blank line
     * before each recipient block; CRLF line ends, folded, cleaned. With {@code utf8}, UTF-8 is
     * kept (for message/global-delivery-status, RFC 6533); without it, the result is US-ASCII.
     */
    public String render(boolean utf8) {
        return DeliveryStatusWriter.render(this, utf8);
    }
}
