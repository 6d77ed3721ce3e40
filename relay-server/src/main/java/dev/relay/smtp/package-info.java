/**
 * The inbound SMTP listener (RFC 5321 ESMTP on Netty). Door: {@link dev.relay.smtp.SmtpServer}
 * with {@link dev.relay.smtp.SmtpSettings}, {@link dev.relay.smtp.SmtpResources},
 * {@link dev.relay.smtp.ConnectionLimiter}, {@link dev.relay.smtp.RelayNetworks} and the
 * metrics hooks {@link dev.relay.smtp.SmtpEvents} / {@link dev.relay.smtp.RejectReason}.
 * Everything else (framer, session, replies, parsers) is internal.
 *
 * <p>Promises: a 250 after DATA or BDAT LAST is sent only once the queue's commit future has
 * completed; never an open relay (only relay-networks or authenticated clients may send, and
 * we have no local domains); AUTH only inside TLS; bare CR/LF in content, over-long lines,
 * NUL, pipelined bytes after STARTTLS and oversize messages get a precise reply.
 */
package dev.relay.smtp;
