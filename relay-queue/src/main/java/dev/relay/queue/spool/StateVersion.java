package dev.relay.queue.spool;

/** Versions of the state record: which lines describe a recipient's status. */
final class StateVersion {
    private StateVersion() {}

    /** Version 1 (no {@code v} line): the result was free text, with an optional {@code remote-mta} line. */
    static final int LEGACY = 1;

    /** Version 2: the reply line plus typed facts (cause, remote, tls, host, expired). */
    static final int CURRENT = 2;
}
