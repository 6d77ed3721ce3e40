package dev.relay.admin;

/**
 * Answers requests for one method and path prefix. Runs on the admin server's small worker
 * pool, never on its event loop, so it may block (queue calls do). An exception becomes a 500
 * whose text says nothing of the cause; the cause is logged.
 */
@FunctionalInterface
public interface AdminRoute {
    AdminResponse handle(AdminRequest request) throws Exception;
}
