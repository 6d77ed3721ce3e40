package dev.relay.label;

import java.util.Optional;

/**
 * An enum whose label is its constant's name in lower case with dashes between the words:
 * {@code NO_POLICY_FOUND} is {@code no-policy-found}, the form of RFC 8460's result and policy
 * types, MTA-STS's modes and the spool's words. Implemented by enums only.
 */
public interface DashedLabel {

    default String label() {
        return EnumLabels.DASHED.of((Enum<?>) this);
    }

    /** The constant of {@code type} labelled {@code label}; case-sensitive. */
    static <E extends Enum<E> & DashedLabel> Optional<E> fromLabel(Class<E> type, String label) {
        return EnumLabels.DASHED.find(type, label);
    }
}
