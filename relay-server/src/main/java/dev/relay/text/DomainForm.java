package dev.relay.text;

import java.util.Locale;

/**
 * The one form in which host and domain names are compared and shown: lower case (DNS names
 * are case-insensitive) and without the trailing dot of a fully qualified name.
 */
public final class DomainForm {

    private DomainForm() {}

    /** {@code name} in lower case, one trailing dot dropped; white space is the caller's to strip. */
    public static String canonical(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
