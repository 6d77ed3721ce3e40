package dev.relay.mtasts;

import java.util.Optional;

/** The {@code mode} of an MTA-STS policy (RFC 8461 section 5). */
public enum PolicyMode {
    /** Deliver only to matching MX hosts, over STARTTLS, with a verified certificate. */
    ENFORCE("enforce"),
    /** Deliver as without a policy, but report what enforce would have refused. */
    TESTING("testing"),
    /** The domain has retired MTA-STS: as no policy. */
    NONE("none");

    private final String label;

    PolicyMode(String label) {
        this.label = label;
    }

    /** The value as written in a policy file: {@code enforce}, {@code testing} or {@code none}. */
    public String label() {
        return label;
    }

    /** The mode a policy file names; case-sensitive, as RFC 8461's ABNF is ({@code %s"enforce"}). */
    public static Optional<PolicyMode> fromLabel(String text) {
        for (PolicyMode mode : values()) {
            if (mode.label.equals(text)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
