/**
 * Outbound SMTP: hands queued messages to remote MX hosts over Netty.
 *
 * <p>Door (the scheduling part): {@link dev.relay.delivery.DeliveryScheduler} takes due
 * messages from the queue, groups each message's open recipients by domain, walks the MX hosts
 * and their addresses in order (a connection failure moves on, a server's verdict ends the
 * walk), caps connections per domain, records one result per recipient, and hands recipients
 * that became Failed to a {@link dev.relay.delivery.BounceHandler} together with the original
 * body, and a message late past {@code queue.delay-warning-after} to the
 * {@link dev.relay.delivery.DelayNotifier}, once in its life. {@link dev.relay.delivery.DomainPolicies}
 * is where MTA-STS decides, per recipient domain, which MX hosts may be tried and with which TLS
 * level ({@link dev.relay.delivery.DomainPolicy}); {@link dev.relay.delivery.WakingQueueEvents}
 * wakes the scheduler on new mail.
 *
 * <p>Door (the outbound client part): {@link dev.relay.delivery.SmtpClient} opens sessions
 * ({@link dev.relay.delivery.SmtpConnection}) to a {@link dev.relay.delivery.Destination} (MX
 * host name, resolved address, {@link dev.relay.tls.TlsRequirement}); a connection carries
 * {@link dev.relay.delivery.OutboundMessage}s one transaction at a time and answers each with a
 * {@link dev.relay.delivery.TransactionOutcome}: one {@link dev.relay.outcome.Outcome} per
 * recipient, plus the {@link dev.relay.delivery.ConnectionFailure} when the connection failed and
 * the {@link dev.relay.delivery.SessionInfo} (TLS details, certificate verdict) for logs and
 * metrics. {@link dev.relay.delivery.ConnectionPool} reuses connections per destination;
 * {@link dev.relay.delivery.AttemptLog} writes the Postfix-style line per recipient;
 * {@link dev.relay.delivery.ClientTimeouts} holds the RFC 5321 timeouts; replies are
 * {@link dev.relay.delivery.SmtpReply} values and stages {@link dev.relay.delivery.Stage}s.
 *
 * <p>Tests use {@code dev.relay.delivery.testkit.TestMx} (a scriptable receiving SMTP server
 * on loopback) and {@code TestMessages} from the relay-server test jar.
 */
package dev.relay.delivery;
