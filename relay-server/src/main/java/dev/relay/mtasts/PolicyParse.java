package dev.relay.mtasts;

import java.util.List;
import java.util.Objects;

/** What {@link PolicyParser} made of a policy file. */
public sealed interface PolicyParse {

    /**
     * A policy, and what was tolerated on the way (a clamped max_age, a trailing dot, a BOM,
     * repeated fields): one plain sentence each, for the log and the diagnostic.
     */
    record Valid(Policy policy, List<String> warnings) implements PolicyParse {
        public Valid {
            Objects.requireNonNull(policy, "policy");
            warnings = List.copyOf(warnings);
        }
    }

    /** Not a policy; the reason is one plain sentence, e.g. "mode enforce but no mx line". */
    record Invalid(String reason) implements PolicyParse {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
