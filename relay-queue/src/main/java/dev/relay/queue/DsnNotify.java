package dev.relay.queue;

/** One value of the RCPT TO NOTIFY= parameter (RFC 3461). */
public enum DsnNotify {
    NEVER,
    SUCCESS,
    FAILURE,
    DELAY
}
