package dev.relay.mtasts;

import dev.relay.text.DidYouMean;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Finds the key a domain probably meant when a required one is missing: {@code nmx} for
 * {@code mx}, {@code Mode} for {@code mode}, {@code max-age} for {@code max_age}. Operators read
 * "no mx line" and look at a file that seems to have one; naming the typo ends the search.
 */
final class NearMiss {

    private NearMiss() {}

    /** The first of the keys, in the order given, that is a small edit (or a case change) from {@code wanted}. */
    static Optional<String> find(String wanted, Collection<String> keys) {
        return keys.stream().filter(key -> DidYouMean.closest(key, List.of(wanted)).isPresent()).findFirst();
    }

    /** How to name the near-miss in a reason: a case slip or a typo. */
    static String describe(String found, String wanted) {
        return found.equalsIgnoreCase(wanted)
                ? "names are case-sensitive, \"" + found + "\" is not \"" + wanted + "\""
                : "a typo for \"" + wanted + "\"?";
    }
}
