package dev.relay.smtp.server;

import java.util.Locale;

/**
 * Why a listening socket could not be bound, in words for a mail admin: the operating system's
 * reason without the transport's wording around it (Netty's epoll transport says
 * {@code bind(..) failed with error(-98): Address already in use}, NIO just the last part).
 */
final class BindFailures {
    private BindFailures() {}

    static String describe(Throwable cause) {
        String message = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("address already in use") || lower.contains("(-98)")) {
            return "the port is already in use (another program listens on it)";
        }
        if (lower.contains("cannot assign requested address") || lower.contains("(-99)")) {
            return "that address is not one of this machine's";
        }
        if (lower.contains("permission denied") || lower.contains("(-13)")) {
            return "permission denied (a port below 1024 needs root or the CAP_NET_BIND_SERVICE capability)";
        }
        // something else: the operating system's own words, after the last "...: " prefix
        int colon = message.lastIndexOf(": ");
        String reason = colon >= 0 ? message.substring(colon + 2) : message;
        return reason.isBlank() ? "the operating system refused" : reason;
    }
}
