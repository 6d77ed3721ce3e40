package dev.relay.dsn;

/** How much of the original message the DSN's third part carries (RFC 3461 RET, RFC 3462). */
public enum ReturnForm {
    /** The whole message: message/rfc822 (message/global for SMTPUTF8 mail). */
    FULL,
    /** The header section only: text/rfc822-headers (message/global-headers). */
    HEADERS,
    /** No third part: the original could no longer be read. */
    NONE
}
