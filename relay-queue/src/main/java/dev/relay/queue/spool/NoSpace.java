package dev.relay.queue.spool;

import java.io.IOException;

/** Tells a full file system apart from other I/O errors (the JDK gives both as plain IOExceptions). */
final class NoSpace {
    private NoSpace() {}

    /** Whether {@code e} is ENOSPC or EDQUOT, as the JDK words them on Linux, macOS and Windows. */
    static boolean is(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof dev.relay.queue.SpoolFullException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && (message.contains("No space left on device")
                    || message.contains("Disk quota exceeded") || message.contains("not enough space on the disk"))) {
                return true;
            }
        }
        return false;
    }
}
