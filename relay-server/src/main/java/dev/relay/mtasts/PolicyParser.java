package dev.relay.mtasts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an MTA-STS policy file (RFC 8461 section 3.2, errata 6253 and 7282). Pure: text in,
 * {@link PolicyParse} out.
 *
 * <p>The rule for the cases the RFC leaves open: accept, with a warning, what has one plain
 * meaning; refuse what would make us guess. A refused policy is "no new policy": a cached one
 * keeps applying, so strictness never lifts protection that is already in place.
 * <ul>
 *   <li>Lines end in LF or CRLF, mixed freely (erratum 6253); the last may lack its end. A CR
 *       anywhere else is a control character and makes the file invalid.</li>
 *   <li>A leading byte order mark is skipped (warning).</li>
 *   <li>Blank lines (empty or only spaces and tabs) are skipped; a warning for those before the
 *       last field, none for trailing ones.</li>
 *   <li>Each line is {@code key ":" *WSP value *WSP}. White space before the key or before the
 *       colon, a line without a colon, a key outside {@code [A-Za-z0-9][A-Za-z0-9_.-]{0,31}}, a
 *       control character: the file is invalid, reason names the line. (Guessing that
 *       {@code " mx: a.example"} was meant risks reading a different policy than the one
 *       published; the diagnostic says which line to fix.)</li>
 *   <li>Keys and values are case-sensitive: {@code Mode: enforce} is an unknown key (so the mode
 *       is missing) and {@code mode: Enforce} is an invalid mode. Unknown keys are ignored, but
 *       a missing required key's reason names a near-miss such as {@code nmx} or
 *       {@code max-age}.</li>
 *   <li>version, mode and max_age are required; repeated, the first counts and the rest are
 *       ignored with a warning (section 3.2: "all entries except for the first SHALL be
 *       ignored").</li>
 *   <li>max_age is 1 to 10 decimal digits ({@code 1*10DIGIT}); more digits make the file
 *       invalid, whatever their value. Above 31557600 it is clamped to 31557600 with a warning
 *       (erratum 7282): the domain plainly asked for the longest lifetime, and rejecting would
 *       leave its mail with no policy at all, the one outcome MTA-STS exists to prevent. 0 is
 *       valid (cache for no time).</li>
 *   <li>mx is required at least once unless the mode is none; each value is {@code ["*."]} and a
 *       host name in A-labels ({@link MxPattern#parse}). A U-label, underscore, empty label or
 *       anything else is invalid. One trailing dot is dropped with a warning (it is the
 *       absolute form of the same name). A value that is an IPv4 address is kept with a warning:
 *       it matches no host. Repeats are kept once.</li>
 *   <li>mode none without mx is valid.</li>
 * </ul>
 */
public final class PolicyParser {

    private PolicyParser() {}

    /** The policy the file text states, or why it states none. */
    public static PolicyParse parse(String body) {
        PolicyFields fields = PolicyFields.read(body);
        if (fields.malformed().isPresent()) {
            return new PolicyParse.Invalid(fields.malformed().get());
        }
        List<String> warnings = new ArrayList<>(fields.warnings());

        Optional<String> missing = missingRequired(fields);
        if (missing.isPresent()) {
            return new PolicyParse.Invalid(missing.get());
        }
        String version = fields.single().get(PolicyFields.VERSION).value();
        if (!version.equals("STSv1")) {
            return new PolicyParse.Invalid("version is " + Texts.quote(version) + ", not STSv1");
        }
        String modeText = fields.single().get(PolicyFields.MODE).value();
        Optional<PolicyMode> mode = PolicyMode.fromLabel(modeText);
        if (mode.isEmpty()) {
            return new PolicyParse.Invalid("mode is " + Texts.quote(modeText)
                    + ", not enforce, testing or none (values are case-sensitive)");
        }
        Optional<Duration> maxAge = maxAge(fields.single().get(PolicyFields.MAX_AGE).value(), warnings);
        if (maxAge.isEmpty()) {
            return new PolicyParse.Invalid("max_age is "
                    + Texts.quote(fields.single().get(PolicyFields.MAX_AGE).value())
                    + ", not a number of seconds of 1 to 10 digits");
        }
        Set<MxPattern> patterns = new LinkedHashSet<>();
        for (PolicyFields.Field field : fields.mx()) {
            Optional<MxPattern> pattern = MxPattern.parse(field.value());
            if (pattern.isEmpty()) {
                return new PolicyParse.Invalid(field.value().isEmpty()
                        ? "mx on line " + field.line() + " is empty"
                        : "mx " + Texts.quote(field.value()) + " on line " + field.line()
                                + " is not a host name in A-labels (letters, digits, hyphens, optional \"*.\" first)");
            }
            warnAboutMx(field, pattern.get(), patterns, warnings);
            patterns.add(pattern.get());
        }
        if (patterns.isEmpty() && mode.get() != PolicyMode.NONE) {
            return new PolicyParse.Invalid("mode " + mode.get().label() + " but no mx line"
                    + nearMiss(PolicyFields.MX, fields));
        }
        return new PolicyParse.Valid(new Policy(mode.get(), List.copyOf(patterns), maxAge.get()), warnings);
    }

    private static Optional<String> missingRequired(PolicyFields fields) {
        for (String key : List.of(PolicyFields.VERSION, PolicyFields.MODE, PolicyFields.MAX_AGE)) {
            if (!fields.single().containsKey(key)) {
                return Optional.of("no " + key + " line" + nearMiss(key, fields));
            }
        }
        return Optional.empty();
    }

    /** A hint naming an unknown key that looks like a typo for the missing one, or "". */
    private static String nearMiss(String wanted, PolicyFields fields) {
        return NearMiss.find(wanted, fields.extensions().keySet())
                .map(key -> " (line " + fields.extensions().get(key) + " has the key \"" + key + "\"; "
                        + NearMiss.describe(key, wanted) + ")")
                .orElse("");
    }

    /** sts-policy-max-age-value is {@code 1*10DIGIT} (RFC 8461 section 3.2). */
    private static final int MAX_AGE_DIGITS = 10;

    /**
     * Seconds, clamped to the RFC's limit with a warning; empty when not 1 to 10 decimal digits
     * (more digits are outside the grammar, not merely over the limit).
     */
    private static Optional<Duration> maxAge(String value, List<String> warnings) {
        if (value.isEmpty() || value.length() > MAX_AGE_DIGITS || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        long limit = Policy.MAX_AGE_LIMIT.toSeconds();
        long seconds = Long.parseLong(value); // 10 digits always fit a long
        if (seconds > limit) {
            warnings.add("max_age " + Texts.quote(value) + " is above the maximum of " + limit
                    + " seconds; " + limit + " is used");
            return Optional.of(Policy.MAX_AGE_LIMIT);
        }
        return Optional.of(Duration.ofSeconds(seconds));
    }

    private static void warnAboutMx(PolicyFields.Field field, MxPattern pattern, Set<MxPattern> seen,
            List<String> warnings) {
        String where = " on line " + field.line();
        if (field.value().endsWith(".")) {
            warnings.add("mx " + Texts.quote(field.value()) + where + " has a trailing dot; read as "
                    + pattern.pattern());
        }
        if (HostNames.looksLikeAddress(pattern.pattern())) {
            warnings.add("mx " + pattern.pattern() + where + " is an IP address and matches no MX host");
        }
        if (seen.contains(pattern)) {
            warnings.add("mx " + pattern.pattern() + where + " is listed before; counted once");
        }
    }
}
