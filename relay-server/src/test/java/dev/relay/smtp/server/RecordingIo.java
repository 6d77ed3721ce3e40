package dev.relay.smtp.server;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SessionIo} that records what the protocol asks for, one line per action (replies as
 * "write 250 Sender ok", without the enhanced status code), and keeps {@link #later} tasks until the test
 * runs them, so a test sees what happens before and after a hop back to the session's thread.
 */
final class RecordingIo implements SessionIo {
    private final List<String> actions = new ArrayList<>();
    private final HeldTasks later = new HeldTasks();
    /** Octets the pretend framer holds, unread. */
    int buffered;

    /** The actions since the last call. */
    List<String> take() {
        List<String> taken = List.copyOf(actions);
        actions.clear();
        return taken;
    }

    /** Runs the tasks handed to {@link #later}, also those they hand on; returns how many ran. */
    int runLater() {
        return later.runAll();
    }

    /** Code and text; the lines of a multi-line reply joined by "|". */
    private static String text(Reply reply) {
        return reply.code() + " " + String.join("|", reply.lines());
    }

    @Override
    public void write(Reply reply) {
        actions.add("write " + text(reply));
    }

    @Override
    public void writeAndFlush(Reply reply) {
        actions.add("write and flush " + text(reply));
    }

    @Override
    public void closeAfter(Reply reply) {
        actions.add("close after " + text(reply));
    }

    @Override
    public void close() {
        actions.add("close");
    }

    @Override
    public int buffered() {
        return buffered;
    }

    @Override
    public int discardBuffered() {
        int dropped = buffered;
        buffered = 0;
        actions.add("discard " + dropped);
        return dropped;
    }

    @Override
    public void hold(SmtpFramer.Hold reason) {
        actions.add("hold " + reason);
    }

    @Override
    public void release(SmtpFramer.Hold reason) {
        actions.add("release " + reason);
    }

    @Override
    public void expectData() {
        actions.add("expect data");
    }

    @Override
    public void expectChunk(long size) {
        actions.add("expect chunk " + size);
    }

    @Override
    public void startTls(Reply ready) {
        actions.add("start tls after " + text(ready));
    }

    @Override
    public void awaitCommand() {
        actions.add("await command");
    }

    @Override
    public void awaitContent() {
        actions.add("await content");
    }

    @Override
    public void contentReceived(long octets) {
        actions.add("received " + octets);
    }

    @Override
    public void later(Runnable task) {
        later.hold(task);
    }
}
