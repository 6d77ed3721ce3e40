/**
 * Delivery status notifications: bounces, delay warnings and (optionally) success reports,
 * as RFC 3464 multipart/report messages queued from {@code <>} to the original sender.
 *
 * <p>Door: {@link dev.relay.dsn.BounceQueuer} (what the delivery scheduler calls) with
 * {@link dev.relay.dsn.DsnSettings}, {@link dev.relay.dsn.DsnKind} and the result
 * {@link dev.relay.dsn.DsnOutcome}. The pure parts are public too, for tests and tools:
 * {@link dev.relay.dsn.DsnPolicy} (who gets a DSN: RFC 3461 NOTIFY, never the null sender),
 * the values
 * {@link dev.relay.dsn.DsnMessage}, {@link dev.relay.dsn.DsnReport},
 * {@link dev.relay.dsn.RecipientReport}, {@link dev.relay.dsn.DsnAction},
 * {@link dev.relay.dsn.ReturnForm}, and {@link dev.relay.dsn.DsnComposer} (bytes). A DSN is
 * made from the recipients' typed outcomes ({@link dev.relay.outcome.Outcome}): status, action,
 * Remote-MTA and the words of the human part follow from the cause, never from the text.
 *
 * <p>Promises: no DSN for a message from the null sender; one DSN per call, covering every
 * recipient given that is in the kind's state and asked for it; CRLF line ends, lines the relay
 * writes within 998 octets, no CR or LF from reasons inside fields, US-ASCII unless the
 * original needed SMTPUTF8; the original streamed, never held in memory; the DSN durable in
 * the queue before the returned future completes.
 */
package dev.relay.dsn;
