package dev.relay.admin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reload did, as {@code POST /api/reload} answers it and {@code relay.jar reload} prints it.
 *
 * @param applied false when the new configuration was refused (then nothing changed)
 * @param source where the configuration was read from
 * @param changed the keys whose new values are in force now
 * @param needRestart keys that changed in the file but keep their running values until a restart
 * @param refusal why the configuration was refused, one line naming the key or the file
 */
public record ReloadOutcome(boolean applied, String source, List<String> changed, List<String> needRestart,
        Optional<String> refusal) {

    public ReloadOutcome {
        Objects.requireNonNull(source, "source");
        changed = List.copyOf(changed);
        needRestart = List.copyOf(needRestart);
        Objects.requireNonNull(refusal, "refusal");
    }

    public static ReloadOutcome refused(String source, String why) {
        return new ReloadOutcome(false, source, List.of(), List.of(), Optional.of(why));
    }
}
