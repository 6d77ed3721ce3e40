package dev.relay.smtp.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every {@link SmtpEvents} call as text, e.g. "accepted 127.0.0.1:25 123". */
final class RecordingSmtpEvents implements SmtpEvents {
    private final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void connectionOpened(String listener) {
        events.add("opened " + listener);
    }

    @Override
    public void connectionClosed(String listener) {
        events.add("closed " + listener);
    }

    @Override
    public void sessionStarted(String listener) {
        events.add("session " + listener);
    }

    @Override
    public void messageAccepted(String listener, long sizeBytes) {
        events.add("accepted " + listener + " " + sizeBytes);
    }

    @Override
    public void messageRejected(RejectReason reason) {
        events.add("rejected " + reason.label());
    }

    @Override
    public void requireTlsAccepted(String listener) {
        events.add("requiretls " + listener);
    }

    List<String> all() {
        return List.copyOf(events);
    }

    List<String> rejections() {
        return events.stream().filter(e -> e.startsWith("rejected ")).toList();
    }
}
