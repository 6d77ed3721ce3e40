package dev.relay.smtp.server;

import dev.relay.label.DashedLabel;
import java.util.Optional;

/**
 * Whether a listener offers a feature (STARTTLS, AUTH), and whether it demands it before MAIL;
 * its label is as written in the configuration: {@code off}, {@code optional}, {@code required}.
 */
public enum Mode implements DashedLabel {
    OFF,
    OPTIONAL,
    REQUIRED;

    public static Optional<Mode> fromLabel(String label) {
        return DashedLabel.fromLabel(Mode.class, label);
    }
}
