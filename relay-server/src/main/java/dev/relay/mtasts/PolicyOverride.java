package dev.relay.mtasts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A local decision about one domain's TLS policy that takes precedence over what the domain
 * publishes: {@code tls-policy.overrides} in the configuration, or a suspension an operator set
 * at run time ({@code relay.jar tls-policy suspend}).
 *
 * <ul>
 *   <li>{@link PolicyMode#ENFORCE} with MX patterns <em>requires</em> authenticated TLS to a
 *       matching MX host, as an MTA-STS policy in enforce mode would, whether or not the domain
 *       publishes one (Postfix's {@code secure match=}).
 *   <li>{@link PolicyMode#TESTING} <em>suspends</em> enforcement: the published policy is still
 *       looked up and every host checked against it, failures are logged and counted as under a
 *       testing policy, but the mail goes.
 *   <li>{@link PolicyMode#NONE} ignores the domain's MTA-STS policy altogether.
 * </ul>
 *
 * @param domain the recipient domain, lower case, no trailing dot
 * @param mx the MX patterns of a {@code enforce} override; empty for the others
 * @param until when it stops applying; empty only for overrides from the configuration file
 * @param reason why, in the operator's words
 * @param source where it comes from, with who set it for a run-time suspension
 */
public record PolicyOverride(String domain, PolicyMode mode, List<MxPattern> mx, Optional<Instant> until,
        String reason, Source source) {

    public PolicyOverride {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(mode, "mode");
        mx = List.copyOf(mx);
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(source, "source");
        if (mode == PolicyMode.ENFORCE && mx.isEmpty()) {
            throw new IllegalArgumentException("an enforce override needs at least one mx pattern");
        }
    }

    /** Where an override comes from. */
    public sealed interface Source {
        /** A label for logs and the admin API: {@code config} or {@code suspension}. */
        String label();
    }

    /** {@code tls-policy.overrides[index]} of the configuration. */
    public record FromConfig(int index) implements Source {
        @Override
        public String label() {
            return "config";
        }
    }

    /**
     * A run-time suspension.
     *
     * @param by who set it, as the admin API saw them (client address, and the token's holder)
     * @param at when
     */
    public record Suspension(String by, Instant at) implements Source {
        public Suspension {
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String label() {
            return "suspension";
        }
    }

    /** Whether it applies at {@code now}: until has not come yet. */
    public boolean activeAt(Instant now) {
        return until.map(now::isBefore).orElse(true);
    }

    /** {@code require} for an enforce override, {@code suspend} for the others: the metric label. */
    public String kind() {
        return mode == PolicyMode.ENFORCE ? "require" : "suspend";
    }

    /** One phrase for log lines and reasons: {@code enforcement suspended (local override: TEXT)}. */
    public String describe() {
        String what = switch (mode) {
            case ENFORCE -> "authenticated TLS required to " + mx.stream().map(MxPattern::pattern)
                    .reduce((a, b) -> a + ", " + b).orElse("");
            case TESTING -> "MTA-STS enforcement suspended";
            case NONE -> "MTA-STS policy ignored";
        };
        return what + " by local override (" + source.label() + ": " + reason + ")";
    }
}
