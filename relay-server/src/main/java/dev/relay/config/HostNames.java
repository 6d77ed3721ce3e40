package dev.relay.config;

import java.util.regex.Pattern;

/** DNS host name syntax (RFC 1123 labels), checked without asking DNS. */
final class HostNames {

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private HostNames() {}

    static boolean isValid(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }
}
