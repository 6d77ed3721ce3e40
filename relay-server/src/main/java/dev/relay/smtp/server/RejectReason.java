package dev.relay.smtp.server;

import dev.relay.label.LowerCaseLabel;

/**
 * Why the listener refused a message or a recipient. A closed set, so metrics can register
 * every label value at start ({@code relay_messages_rejected_total{reason}}: the name in lower case).
 */
public enum RejectReason implements LowerCaseLabel {
    /** RCPT from a client that may not relay (not in relay-networks, not authenticated). */
    RELAY_DENIED,
    /** MAIL before STARTTLS on a listener that requires TLS. */
    TLS_REQUIRED,
    /** MAIL before AUTH on a listener that requires authentication. */
    AUTH_REQUIRED,
    /** Declared (SIZE=) or actual size over the limit. */
    MESSAGE_TOO_BIG,
    /** Header section over the cap on a submission listener. */
    HEADER_TOO_BIG,
    /** Bare CR or bare LF in DATA: the SMTP smuggling defence. */
    BARE_LINE_BREAK,
    /** A NUL byte in the content of a message that is not BODY=BINARYMIME. */
    NUL_CHARACTER,
    /** At least limits.max-received-headers Received fields: a mail loop. */
    TOO_MANY_HOPS,
    /** A recipient or sender that is an address literal (refused, or this relay's own) or an all-numeric domain. */
    ADDRESS_LITERAL,
    /** More RCPTs than the limit allows. */
    TOO_MANY_RECIPIENTS,
    /** The queue refused new mail (disk nearly full, queue over its cap). */
    QUEUE_FULL,
    /** Writing or committing to the queue failed. */
    QUEUE_ERROR
}
