/** Small helpers for work done on other threads: {@link dev.relay.concurrent.FutureFailures}. */
package dev.relay.concurrent;
