package dev.relay.mtasts;

import dev.relay.text.TxtRecordFields;

/** Small text helpers shared by the policy and TXT record parsers (WSP is space and tab, as in RFC 5234). */
final class Texts {

    private static final int QUOTE_LIMIT = 40;

    private Texts() {}

    static String withoutCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    static boolean isBlank(String s) {
        return s.chars().allMatch(c -> c == ' ' || c == '\t');
    }

    static String stripTrailingWsp(String s) {
        return TxtRecordFields.stripTrailingWsp(s);
    }

    static String stripLeadingWsp(String s) {
        int start = 0;
        while (start < s.length() && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        return s.substring(start);
    }

    /** The text in double quotes, cut short so a garbage file does not flood the log. */
    static String quote(String s) {
        return "\"" + (s.length() > QUOTE_LIMIT ? s.substring(0, QUOTE_LIMIT) + "..." : s) + "\"";
    }
}
