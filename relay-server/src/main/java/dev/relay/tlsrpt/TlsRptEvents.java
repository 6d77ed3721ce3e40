package dev.relay.tlsrpt;

/** What TLS reporting tells the metrics. Quick, thread-safe, never throws; all default to no-ops. */
public interface TlsRptEvents {
    TlsRptEvents NONE = new TlsRptEvents() {};

    /** A session was counted under a policy of this type, as a success or a failure. */
    default void sessionCounted(PolicyType policy, boolean success) {}

    /**
     * A report reached its end at one destination.
     *
     * @param transport {@code https} or {@code mailto}
     * @param sent true when POSTed (2xx) or queued as mail; false when given up
     */
    default void reportFinished(String transport, boolean sent) {}
}
