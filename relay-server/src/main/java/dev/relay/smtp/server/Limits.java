package dev.relay.smtp.server;

import java.time.Duration;

/**
 * Limits on what one client may do.
 *
 * @param maxMessageSize bytes, declared (SIZE=) and actual
 * @param maxRecipients per transaction
 * @param maxConnections across all listeners
 * @param maxConnectionsPerClient per client IP address
 * @param exemptRelayNetworks whether clients in relay-networks are free of
 *     {@code maxConnectionsPerClient} (a smarthost's application servers open many sessions
 *     from one address; Postfix exempts {@code $mynetworks} the same way)
 * @param commandTimeout how long a command line may take to arrive (RFC 5321 4.5.3.2.7: 5 minutes)
 * @param dataTimeout how long DATA or a BDAT chunk may go without reaching {@code minDataRate}
 *     (RFC 5321 4.5.3.2.7 uses 3 minutes for the sender's side, 5 minutes for the server)
 * @param perRecordDeadline whether the two timeouts are deadlines (Postfix's
 *     {@code smtpd_per_record_deadline}): bytes trickling in do not restart them. Off, they are
 *     idle timeouts, restarted by every byte.
 * @param minDataRate bytes per second of message content that earn more time under a
 *     deadline (Postfix's {@code smtpd_min_data_rate})
 * @param maxErrors bad commands per session before the connection is closed
 * @param maxReceivedHeaders a message with this many Received fields or more is refused as a
 *     mail loop (Postfix's {@code hopcount_limit})
 * @param addressLiteralRecipients whether {@code user@[192.0.2.1]} recipients are taken at all
 */
public record Limits(
        long maxMessageSize,
        int maxRecipients,
        int maxConnections,
        int maxConnectionsPerClient,
        boolean exemptRelayNetworks,
        Duration commandTimeout,
        Duration dataTimeout,
        boolean perRecordDeadline,
        long minDataRate,
        int maxErrors,
        int maxReceivedHeaders,
        boolean addressLiteralRecipients) {}
