/**
 * What one delivery attempt came to, as typed facts: the sealed {@link dev.relay.outcome.Outcome}
 * (delivered, deferred, failed) with the SMTP {@link dev.relay.outcome.Reply}, whose verdict it
 * was ({@link dev.relay.outcome.Source}), the TLS facts of the session
 * ({@link dev.relay.outcome.TlsFacts}) and a {@link dev.relay.outcome.Cause}. The queue stores
 * these values as they are, so the DSN, the log line, the metrics and the status page read the
 * same facts rather than parsing sentences again.
 *
 * <p>Plain values only: no I/O, no network. It lives in the queue module because the spool
 * persists it; the classifier that makes outcomes from what happened on the wire lives in
 * delivery.
 */
package dev.relay.outcome;
