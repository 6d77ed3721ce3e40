package dev.relay.queue;

/** The MAIL FROM RET= parameter (RFC 3461): what a bounce carries of the original. */
public enum DsnReturn {
    FULL,
    HDRS
}
