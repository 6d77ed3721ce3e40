package dev.relay.mtasts;

import java.time.Duration;

/** Argument checks the builders of this package share. */
final class Checks {

    private Checks() {}

    static Duration requirePositive(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be positive: " + d);
        }
        return d;
    }
}
