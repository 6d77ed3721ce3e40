package dev.relay.mtasts;

import dev.relay.label.DashedLabel;
import java.util.Optional;

/**
 * The {@code mode} of an MTA-STS policy (RFC 8461 section 5). Its label is the value as written
 * in a policy file: {@code enforce}, {@code testing} or {@code none}.
 */
public enum PolicyMode implements DashedLabel {
    /** Deliver only to matching MX hosts, over STARTTLS, with a verified certificate. */
    ENFORCE,
    /** Deliver as without a policy, but report what enforce would have refused. */
    TESTING,
    /** The domain has retired MTA-STS: as no policy. */
    NONE;

    /** The mode a policy file names; case-sensitive, as RFC 8461's ABNF is ({@code %s"enforce"}). */
    public static Optional<PolicyMode> fromLabel(String text) {
        return DashedLabel.fromLabel(PolicyMode.class, text);
    }
}
