package dev.relay.smtp;

/**
 * The one place listener tests get their queue from. Swap the body for a decorator around the
 * real spool (keeping the failure switches) to run every listener test against it.
 */
final class TestQueues {
    private TestQueues() {}

    static CapturingQueue newQueue() {
        return new CapturingQueue();
    }
}
