package dev.relay.smtp.server;

/** Content handed to a header scanner in pieces, cut where the network might cut it. */
final class CutContent {
    private CutContent() {}

    /** What the scanners under test take: the next piece of the content. */
    @FunctionalInterface
    interface Scanner {
        void feed(byte[] bytes, int offset, int length);
    }

    /** Feeds {@code content} to {@code scanner} in pieces ending at each of {@code cuts}, then the rest. */
    static void feed(byte[] content, int[] cuts, Scanner scanner) {
        int from = 0;
        for (int cut : cuts) {
            scanner.feed(content, from, cut - from);
            from = cut;
        }
        scanner.feed(content, from, content.length - from);
    }
}
