package dev.relay.smtp.server;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Work a test double keeps back until the test lets it run (held commits, hops back to the
 * session's thread), so the test sees what happens before and after it.
 */
final class HeldTasks {
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    void hold(Runnable task) {
        tasks.add(task);
    }

    int size() {
        return tasks.size();
    }

    /** Runs the held tasks in order, also those they hold in turn; returns how many ran. */
    int runAll() {
        int count = 0;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
            count++;
        }
        return count;
    }
}
