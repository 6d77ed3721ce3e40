package dev.relay.smtp.server;

/** Whether a listener offers a feature (STARTTLS, AUTH), and whether it demands it before MAIL. */
public enum Mode {
    OFF,
    OPTIONAL,
    REQUIRED
}
