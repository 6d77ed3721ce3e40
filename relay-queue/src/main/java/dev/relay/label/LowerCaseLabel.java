package dev.relay.label;

/**
 * An enum whose label (a metric's label value, a log word) is its constant's name in lower case:
 * {@code DEFERRED} is {@code deferred}, {@code TOO_MANY_HOPS} is {@code too_many_hops}. Written
 * once so that every such label is spelt alike. Implemented by enums only.
 */
public interface LowerCaseLabel {

    default String label() {
        return EnumLabels.LOWER_CASE.of((Enum<?>) this);
    }
}
