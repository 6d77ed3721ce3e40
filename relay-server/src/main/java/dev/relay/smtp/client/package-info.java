/**
 * The outbound SMTP client on Netty: it knows the protocol and TLS, and nothing of queues,
 * policies or outcomes.
 *
 * <p>Door: {@link dev.relay.smtp.client.SmtpClient} opens sessions
 * ({@link dev.relay.smtp.client.SmtpConnection}) to a {@link dev.relay.smtp.client.Destination}
 * (MX host name, resolved address, {@link dev.relay.tls.TlsRequirement});
 * {@link dev.relay.smtp.client.ConnectionPool} reuses them per destination. A connection carries
 * {@link dev.relay.smtp.client.OutboundMessage}s one transaction at a time and answers each with
 * a {@link dev.relay.smtp.client.TransactionOutcome}: one raw
 * {@link dev.relay.smtp.client.RecipientVerdict} per recipient (the server's
 * {@link dev.relay.smtp.client.SmtpReply}, or why the client did not send), plus the
 * {@link dev.relay.smtp.client.ConnectionFailure} when the connection failed and the
 * {@link dev.relay.smtp.client.SessionInfo} (TLS details, certificate verdict).
 * {@link dev.relay.smtp.client.ClientTimeouts} holds the RFC 5321 timeouts.
 *
 * <p>Tests use {@code dev.relay.delivery.testkit.TestMx} (a scriptable receiving SMTP server
 * on loopback) and {@code ClientFixture} from the relay-server test jar.
 */
package dev.relay.smtp.client;
