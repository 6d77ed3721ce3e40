/**
 * The inbound SMTP listener (RFC 5321 ESMTP on Netty). Door: {@link dev.relay.smtp.server.SmtpServer}
 * with {@link dev.relay.smtp.server.SmtpSettings}, {@link dev.relay.smtp.server.SmtpResources},
 * {@link dev.relay.smtp.server.ConnectionLimiter}, {@link dev.relay.smtp.server.RelayNetworks} and the
 * metrics hooks {@link dev.relay.smtp.server.SmtpEvents} / {@link dev.relay.smtp.server.RejectReason}.
 * Everything else (framer, session, replies, parsers) is internal.
 *
 * <p>Inside: {@link dev.relay.smtp.server.SmtpFramer} turns octets into command lines and content;
 * {@link dev.relay.smtp.server.SmtpSession} is the protocol (state, verbs, replies) and knows no
 * Netty; {@link dev.relay.smtp.server.SessionHandler} is the channel handler that feeds it and does
 * the I/O it asks for ({@link dev.relay.smtp.server.SessionIo}): writes, TLS upgrade, timers, and
 * the hops back to the event loop after a commit or a password check.
 *
 * <p>Promises: a 250 after DATA or BDAT LAST is sent only once the queue's commit future has
 * completed; never an open relay (only relay-networks or authenticated clients may send, and
 * we have no local domains); AUTH only inside TLS; bare CR/LF in content, over-long lines,
 * NUL, pipelined bytes after STARTTLS and oversize messages get a precise reply.
 */
package dev.relay.smtp.server;
