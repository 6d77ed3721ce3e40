package dev.relay.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The routes, matched by method and longest path prefix. A prefix matches whole segments:
 * {@code /queue} matches {@code /queue} and {@code /queue/ABC} but not {@code /queues}; a
 * prefix ending in {@code /} (such as {@code /}) matches everything below it.
 */
final class RouteTable {

    record Route(String method, String prefix, boolean open, AdminRoute handler) {
        Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(handler, "handler");
        }

        boolean covers(String path) {
            return path.equals(prefix) || (path.startsWith(prefix)
                    && (prefix.endsWith("/") || path.charAt(prefix.length()) == '/'));
        }
    }

    /** The outcome of a lookup: a route, a path some other method serves, or nothing. */
    sealed interface Match {
        record Found(Route route) implements Match {}

        record WrongMethod() implements Match {}

        record NotFound() implements Match {}
    }

    private final List<Route> routes;

    RouteTable(List<Route> routes) {
        List<Route> sorted = new ArrayList<>(routes);
        // longest prefix first, so the first hit is the best
        sorted.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size(); j++) {
                Route a = sorted.get(i);
                Route b = sorted.get(j);
                if (a.method().equals(b.method()) && a.prefix().equals(b.prefix())) {
                    throw new IllegalArgumentException("two routes for " + a.method() + " " + a.prefix());
                }
            }
        }
        this.routes = List.copyOf(sorted);
    }

    static void checkPrefix(String prefix) {
        if (!prefix.startsWith("/")) {
            throw new IllegalArgumentException("a path prefix starts with /: " + prefix);
        }
    }

    Match match(String method, String path) {
        Optional<Route> found = routes.stream().filter(r -> r.method().equals(method) && r.covers(path)).findFirst();
        if (found.isPresent()) {
            return new Match.Found(found.get());
        }
        return routes.stream().anyMatch(r -> r.covers(path)) ? new Match.WrongMethod() : new Match.NotFound();
    }
}
