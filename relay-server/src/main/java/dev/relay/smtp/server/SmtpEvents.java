package dev.relay.smtp.server;

/**
 * What the listener tells the outside (metrics) as it happens. Called on Netty event loop
 * threads, so implementations must be quick and must not block. All methods default to no-ops.
 */
public interface SmtpEvents {
    SmtpEvents NONE = new SmtpEvents() {};

    /** A TCP connection was accepted on {@code listener} (before any limit check). */
    default void connectionOpened(String listener) {}

    /** A connection opened on {@code listener} closed, for whatever reason. */
    default void connectionClosed(String listener) {}

    /** The client got a 220 greeting: an SMTP session began. */
    default void sessionStarted(String listener) {}

    /** A message was committed to the queue and acknowledged with 250. */
    default void messageAccepted(String listener, long sizeBytes) {}

    /** A message, or one recipient of it, was refused. */
    default void messageRejected(RejectReason reason) {}

    /** The message just accepted carries REQUIRETLS (RFC 8689). */
    default void requireTlsAccepted(String listener) {}

    /** Events that go to {@code first}, then to {@code second}: for several listeners on one server. */
    static SmtpEvents both(SmtpEvents first, SmtpEvents second) {
        return new SmtpEvents() {
            @Override
            public void connectionOpened(String listener) {
                first.connectionOpened(listener);
                second.connectionOpened(listener);
            }

            @Override
            public void connectionClosed(String listener) {
                first.connectionClosed(listener);
                second.connectionClosed(listener);
            }

            @Override
            public void sessionStarted(String listener) {
                first.sessionStarted(listener);
                second.sessionStarted(listener);
            }

            @Override
            public void messageAccepted(String listener, long sizeBytes) {
                first.messageAccepted(listener, sizeBytes);
                second.messageAccepted(listener, sizeBytes);
            }

            @Override
            public void messageRejected(RejectReason reason) {
                first.messageRejected(reason);
                second.messageRejected(reason);
            }

            @Override
            public void requireTlsAccepted(String listener) {
                first.requireTlsAccepted(listener);
                second.requireTlsAccepted(listener);
            }
        };
    }
}
