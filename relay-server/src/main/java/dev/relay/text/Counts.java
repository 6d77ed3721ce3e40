package dev.relay.text;

/** "1 message", "2 messages", "0 messages": a count with its noun, for log lines and output. */
public final class Counts {
    private Counts() {}

    /** For nouns whose plural adds an s. */
    public static String of(long n, String singular) {
        return of(n, singular, singular + "s");
    }

    public static String of(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
