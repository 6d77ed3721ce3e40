package dev.relay.text;

import java.util.Locale;

/**
 * An enum whose label (a metric's label value, a log word) is its constant's name in lower case:
 * {@code DEFERRED} is {@code deferred}. Written once so that every such label is spelt alike.
 */
public interface LowerCaseLabel {

    /** The constant's name: every enum has it. */
    String name();

    default String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
