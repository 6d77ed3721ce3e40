package dev.relay.dsn;

import dev.relay.label.DashedLabel;
import dev.relay.outcome.EnhancedStatus;

/**
 * The Action field of a per-recipient block (RFC 3464 section 2.3.3). Its label is the field
 * value, e.g. {@code failed}.
 */
public enum DsnAction implements DashedLabel {
    FAILED,
    DELAYED,
    DELIVERED,
    /** Handed to a next hop that does not offer DSN: the relay can say no more. */
    RELAYED,
    EXPANDED;

    /**
     * The Status field for this action: the outcome's own status when its class fits the action
     * (a failure may be 5.x.x, or 4.x.x for an expiry: RFC 3463 4.4.7), else the action's bare class.
     */
    String statusFor(EnhancedStatus status) {
        boolean fits = switch (this) {
            case FAILED -> status.statusClass() == 5 || status.statusClass() == 4;
            case DELAYED -> status.statusClass() == 4;
            case DELIVERED, RELAYED, EXPANDED -> status.statusClass() == 2;
        };
        if (fits) {
            return status.toString();
        }
        return switch (this) {
            case FAILED -> EnhancedStatus.PERMANENT.toString();
            case DELAYED -> EnhancedStatus.TEMPORARY.toString();
            case DELIVERED, RELAYED, EXPANDED -> EnhancedStatus.SUCCESS.toString();
        };
    }
}
