package dev.relay.dsn;

/** The Action field of a per-recipient block (RFC 3464 section 2.3.3). */
public enum DsnAction {
    FAILED("failed"),
    DELAYED("delayed"),
    DELIVERED("delivered"),
    /** Handed to a next hop that does not offer DSN: the relay can say no more. */
    RELAYED("relayed"),
    EXPANDED("expanded");

    private final String keyword;

    DsnAction(String keyword) {
        this.keyword = keyword;
    }

    /** The field value, e.g. {@code failed}. */
    public String keyword() {
        return keyword;
    }

    /** The status class (first digit of the Status field) this action goes with. */
    boolean fits(char statusClass) {
        return switch (this) {
            // an expired deferral fails with a 4.x.x status (RFC 3463 4.4.7)
            case FAILED -> statusClass == '5' || statusClass == '4';
            case DELAYED -> statusClass == '4';
            case DELIVERED, RELAYED, EXPANDED -> statusClass == '2';
        };
    }

    /** The status to report when the reason carries none that fits. */
    String fallbackStatus() {
        return switch (this) {
            case FAILED -> "5.0.0";
            case DELAYED -> "4.0.0";
            case DELIVERED, RELAYED, EXPANDED -> "2.0.0";
        };
    }
}
