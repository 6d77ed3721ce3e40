package dev.relay.dsn;

import dev.relay.queue.DsnNotify;
import dev.relay.label.LowerCaseLabel;

/**
 * The three notifications the relay sends (RFC 3461 section 6.1). One DSN per message per kind
 * covers every recipient of that kind at that moment.
 */
public enum DsnKind implements LowerCaseLabel {
    /** Recipients that failed for good: permanent rejections and expired deferrals. */
    FAILURE(DsnNotify.FAILURE, DsnAction.FAILED, "Undelivered Mail Returned to Sender"),
    /** A warning that recipients are still deferred and being retried. */
    DELAY(DsnNotify.DELAY, DsnAction.DELAYED, "Delayed Mail (still being retried)"),
    /** Delivered to a next hop that does not send DSNs itself, when the sender asked (NOTIFY=SUCCESS). */
    SUCCESS(DsnNotify.SUCCESS, DsnAction.RELAYED, "Successful Mail Delivery Report");

    private final DsnNotify notify;
    private final DsnAction action;
    private final String subject;

    DsnKind(DsnNotify notify, DsnAction action, String subject) {
        this.notify = notify;
        this.action = action;
        this.subject = subject;
    }

    /** The NOTIFY value that asks for this kind. */
    public DsnNotify notifyValue() {
        return notify;
    }

    /** The Action field of its per-recipient blocks. */
    public DsnAction action() {
        return action;
    }

    /** The Subject of the DSN message. */
    public String subject() {
        return subject;
    }
}
