package dev.relay.label;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One way of deriving labels from enum constant names, with the labels of each enum class
 * worked out once and kept: reading a label (on per-message paths such as the spool's status
 * records) is an array read, never a string built per call.
 */
public final class EnumLabels {

    /** {@code NO_SPACE} is {@code no_space}. */
    public static final EnumLabels LOWER_CASE = new EnumLabels(name -> name.toLowerCase(Locale.ROOT));

    /** {@code CERTIFICATE_HOST_MISMATCH} is {@code certificate-host-mismatch}. */
    public static final EnumLabels DASHED = new EnumLabels(name -> name.toLowerCase(Locale.ROOT).replace('_', '-'));

    private final ClassValue<Table> tables;

    private EnumLabels(UnaryOperator<String> form) {
        this.tables = new ClassValue<>() {
            @Override
            protected Table computeValue(Class<?> type) {
                return new Table(type.getEnumConstants(), form);
            }
        };
    }

    /**
     * The label of {@code constant}. Not during its enum's static initialisation: the constants
     * must all exist before their labels can be worked out.
     */
    @SuppressWarnings("EnumOrdinal") // an index into this run's values(), as EnumMap's; never stored
    public String of(Enum<?> constant) {
        return tables.get(constant.getDeclaringClass()).labels[constant.ordinal()];
    }

    /** The constant of {@code type} whose label is {@code label} (exactly, case included). */
    public <E extends Enum<E>> Optional<E> find(Class<E> type, String label) {
        return Optional.ofNullable(type.cast(tables.get(type).byLabel.get(label)));
    }

    private static final class Table {
        final String[] labels;
        final Map<String, Object> byLabel = new HashMap<>();

        Table(Object[] constants, UnaryOperator<String> form) {
            labels = new String[constants.length];
            for (int i = 0; i < constants.length; i++) {
                labels[i] = form.apply(((Enum<?>) constants[i]).name());
                byLabel.put(labels[i], constants[i]);
            }
        }
    }
}
