package dev.relay.tlsrpt;

/**
 * Where delivery hands the sessions TLS reporting counts. Called on delivery's worker threads,
 * once per TLS session (or per MX host a policy ruled out): keep it quick and thread-safe, and
 * never throw.
 */
@FunctionalInterface
public interface SessionSink {

    /** Reporting off: nothing is counted. */
    SessionSink NONE = session -> { };

    void record(TlsSession session);
}
