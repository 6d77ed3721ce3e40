package dev.relay.it.docker;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The metric names and label names a PromQL expression refers to: enough of a lexer to tell
 * a metric from a function, an aggregation, a keyword or a label, for checking a dashboard
 * against what the relay exposes.
 *
 * @param metrics series selectors' names ({@code x_total} in {@code rate(x_total[5m])})
 * @param labels label names in matchers and in by/without/on/ignoring/group_left/group_right lists
 */
record PromQl(Set<String> metrics, Set<String> labels) {

    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
            "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");

    static PromQl parse(String expression) {
        return new Lexer(expression).run();
    }

    private static final class Lexer {
        private final String s;
        private int pos;
        private final Set<String> metrics = new LinkedHashSet<>();
        private final Set<String> labels = new LinkedHashSet<>();

        Lexer(String s) {
            this.s = s;
        }

        PromQl run() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (Character.isWhitespace(c)) {
                    pos++;
                } else if (c == '"' || c == '\'' || c == '`') {
                    string();
                } else if (c == '{') {
                    matchers();
                } else if (c == '[') {
                    skipPast(']');
                } else if (Character.isDigit(c) || c == '.' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1))) {
                    while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                        pos++;
                    }
                } else if (c == '$') {
                    pos++;
                    identifier();
                } else if (isIdentifierStart(c)) {
                    word(identifier());
                } else {
                    pos++;
                }
            }
            return new PromQl(Set.copyOf(metrics), Set.copyOf(labels));
        }

        private void word(String word) {
            String lower = word.toLowerCase(Locale.ROOT);
            char next = peekNonSpace();
            if (LABEL_LISTS.contains(lower) && next == '(') {
                skipSpace();
                pos++;
                while (pos < s.length() && s.charAt(pos) != ')') {
                    if (isIdentifierStart(s.charAt(pos))) {
                        labels.add(identifier());
                    } else {
                        pos++;
                    }
                }
                pos++;
            } else if (AGGREGATIONS.contains(lower) || KEYWORDS.contains(lower) || LABEL_LISTS.contains(lower) || next == '(') {
                // an operator or a function call, not a series
            } else {
                metrics.add(word);
            }
        }

        private void matchers() {
            pos++;
            while (pos < s.length() && s.charAt(pos) != '}') {
                char c = s.charAt(pos);
                if (isIdentifierStart(c)) {
                    String label = identifier();
                    skipSpace();
                    if (label.equals("__name__") && pos < s.length() && s.charAt(pos) == '=' && peekAt(pos + 1) != '~') {
                        pos++;
                        skipSpace();
                        metrics.add(stringValue());
                    } else {
                        labels.add(label);
                    }
                } else if (c == '"' || c == '\'' || c == '`') {
                    string();
                } else {
                    pos++;
                }
            }
            pos++;
        }

        private String stringValue() {
            int start = pos + 1;
            string();
            return s.substring(start, pos - 1);
        }

        private void string() {
            char quote = s.charAt(pos++);
            while (pos < s.length() && s.charAt(pos) != quote) {
                if (s.charAt(pos) == '\\' && quote != '`') {
                    pos++;
                }
                pos++;
            }
            pos++;
        }

        private String identifier() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == ':')) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private void skipPast(char end) {
            while (pos < s.length() && s.charAt(pos) != end) {
                pos++;
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private char peekNonSpace() {
            int p = pos;
            while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
                p++;
            }
            return p < s.length() ? s.charAt(p) : '\0';
        }

        private char peekAt(int p) {
            return p < s.length() ? s.charAt(p) : '\0';
        }

        private static boolean isIdentifierStart(char c) {
            return Character.isLetter(c) || c == '_' || c == ':';
        }
    }
}
