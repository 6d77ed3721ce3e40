/** Small helpers for work done on other threads: {@link dev.relay.concurrent.FutureFailures}, {@link dev.relay.concurrent.SharedCalls}. */
package dev.relay.concurrent;
