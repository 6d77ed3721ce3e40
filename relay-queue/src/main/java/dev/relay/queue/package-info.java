/**
 * The durable mail queue. Door: {@link dev.relay.queue.MessageQueue} and the value types
 * beside it. A 250 after DATA is only sent once {@link dev.relay.queue.MessageDraft#commit}
 * has completed, i.e. the message is on stable storage.
 */
package dev.relay.queue;
