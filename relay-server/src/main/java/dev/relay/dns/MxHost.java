package dev.relay.dns;

import java.util.Locale;
import java.util.Objects;

/**
 * One mail exchanger of a domain.
 *
 * @param name host name in lower case, without the trailing dot, in A-label form as DNS gave it
 * @param preference the MX preference (lower is tried first)
 */
public record MxHost(String name, int preference) {

    public MxHost {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.endsWith(".")) {
            throw new IllegalArgumentException("MX host must be a name without the trailing dot: '" + name + "'");
        }
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("MX host must be in lower case: " + name);
        }
        if (preference < 0 || preference > 0xffff) {
            throw new IllegalArgumentException("MX preference out of range: " + preference);
        }
    }

    @Override
    public String toString() {
        return preference + " " + name;
    }
}
