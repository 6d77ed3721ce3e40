package dev.relay.text;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The fields of a versioned TXT record, {@code v=NAME; name=value; ...}, in the grammar RFC 8461
 * (MTA-STS) and RFC 8460 (TLS reporting) share: fields separated by {@code *WSP ";" *WSP}, a
 * trailing {@code ;} and trailing white space allowed, no empty field between two separators,
 * names {@code (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")}, the first of a repeated
 * name counting. Each record type, a {@link TxtRecordFormat}, says what its values may be and
 * which field it requires. Pure.
 */
public final class TxtRecordFields {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private static final Pattern EXTENSION_VALUE = Pattern.compile("[\\x21-\\x3a\\x3c\\x3e-\\x7e]+");
    private static final Pattern SEPARATOR = Pattern.compile("[ \\t]*;[ \\t]*");

    private TxtRecordFields() {}

    /** What the record's fields came to: the first value of each name, in order, or why not. */
    private sealed interface Result {
        record Fields(Map<String, String> values) implements Result {
            public Fields {
                values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
            }
        }

        record Problem(String reason) implements Result {}
    }

    /** Checks one field's value (its first occurrence); empty when it is acceptable. */
    @FunctionalInterface
    public interface ValueRule {
        Optional<String> problem(String name, String value);
    }

    /**
     * Reads the one record of the format's version among a name's TXT records: records of other
     * versions are someone else's and discarded; none left is {@link TxtDiscovery.NoRecord}, two
     * or more are {@link TxtDiscovery.Invalid} (RFC 8461 section 3.1 and RFC 8460 section 3: the
     * number of resulting records must be one). The one left is invalid when its fields are or
     * when it lacks the required field; else {@code fromRequired} reads that field's value.
     */
    public static <R> TxtDiscovery<R> readTheOne(List<String> records, TxtRecordFormat format,
            Function<String, TxtDiscovery<R>> fromRequired) {
        String version = format.version();
        List<String> ours = records.stream().filter(record -> isVersion(record, version)).toList();
        if (ours.isEmpty()) {
            return new TxtDiscovery.NoRecord<>();
        }
        if (ours.size() > 1) {
            return new TxtDiscovery.Invalid<>(ours.size() + " TXT records begin with " + version + "; exactly one is allowed");
        }
        return switch (read(ours.getFirst(), version, format.rule(), format.quote())) {
            case Result.Problem problem -> new TxtDiscovery.Invalid<>(problem.reason());
            case Result.Fields fields -> {
                String value = fields.values().get(format.required());
                yield value == null
                        ? new TxtDiscovery.Invalid<>("the " + version + " record has no " + format.required() + " field"
                                + format.missingHint().apply(fields.values().keySet()))
                        : fromRequired.apply(value);
            }
        };
    }

    /** Whether {@code record} is of this version: it, then the end, a {@code ;} or white space. */
    public static boolean isVersion(String record, String version) {
        if (!record.startsWith(version)) {
            return false;
        }
        if (record.length() == version.length()) {
            return true;
        }
        char next = record.charAt(version.length());
        return next == ';' || next == ' ' || next == '\t';
    }

    /**
     * The fields after {@code version} (which the record begins with).
     *
     * @param quote how the record type quotes a text in its reasons
     */
    private static Result read(String record, String version, ValueRule rule, UnaryOperator<String> quote) {
        String rest = stripTrailingWsp(record.substring(version.length()));
        if (rest.isEmpty()) {
            return new Result.Fields(Map.of());
        }
        if (!SEPARATOR.matcher(rest).lookingAt()) {
            return new Result.Problem("fields of the " + version + " record must be separated by \";\"");
        }
        String[] fields = SEPARATOR.split(rest, -1);
        Map<String, String> seen = new LinkedHashMap<>();
        // fields[0] is the nothing before the first separator; a last empty one is a trailing ";"
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i];
            if (field.isEmpty()) {
                if (i == fields.length - 1) {
                    break;
                }
                return new Result.Problem("the " + version + " record has an empty field (\";;\")");
            }
            int equals = field.indexOf('=');
            if (equals < 0) {
                return new Result.Problem("field " + quote.apply(field) + " is not name=value");
            }
            String name = field.substring(0, equals);
            String value = field.substring(equals + 1);
            if (!NAME.matcher(name).matches()) {
                return new Result.Problem("field name " + quote.apply(name) + " is not valid");
            }
            if (seen.containsKey(name)) {
                continue; // the first counts
            }
            Optional<String> problem = rule.problem(name, value);
            if (problem.isPresent()) {
                return new Result.Problem(problem.get());
            }
            seen.put(name, value);
        }
        return new Result.Fields(seen);
    }

    /** The rule for extension fields: one or more printable ASCII characters other than {@code =}, {@code ;} and space. */
    public static Optional<String> extensionValueProblem(String name, String value, UnaryOperator<String> quote) {
        return EXTENSION_VALUE.matcher(value).matches()
                ? Optional.empty()
                : Optional.of("field " + name + " has an invalid value " + quote.apply(value)
                        + " (printable ASCII without \"=\", \";\" or space)");
    }

    /** Without the spaces and tabs at its end (WSP, RFC 5234). */
    public static String stripTrailingWsp(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(0, end);
    }
}
