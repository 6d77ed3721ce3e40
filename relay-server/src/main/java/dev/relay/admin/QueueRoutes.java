package dev.relay.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.relay.queue.MessageQueue;
import dev.relay.queue.QueueCursor;
import dev.relay.queue.QueueId;
import dev.relay.queue.QueuedMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue API under {@code /api/queue}, for the {@code queue} commands and scripts:
 *
 * <pre>
 * GET    /api/queue                 every message, oldest first ({@link QueueReplies.Listing})
 * GET    /api/queue?limit=N[&amp;after=C] one page of that: N messages after cursor C (the previous page's next)
 * GET    /api/queue/{id}            one message ({@link MessageView})
 * POST   /api/queue/{id}/retry      deferred recipients due now; wakes delivery
 * POST   /api/queue/retry-all       the same for every message not on hold ({@link QueueReplies.RetriedAll})
 * POST   /api/queue/{id}/hold       no delivery until released
 * POST   /api/queue/{id}/release    off hold, open recipients due now; wakes delivery
 * DELETE /api/queue/{id}            gone without a DSN ({@link QueueReplies.Deleted})
 * </pre>
 *
 * Refusals are JSON {@link QueueReplies.Refusal}s: 404 for an id that is not queued (or cannot be
 * one), 503 once the queue is closed. The queue's blocking calls are safe here: routes run on the
 * admin server's workers, never on the spool's writer thread.
 */
public final class QueueRoutes {
    private static final Logger attempts = LoggerFactory.getLogger("dev.relay.delivery.attempts");


    static final String PREFIX = "/api/queue";
    private static final String RETRY_ALL = "retry-all";
    /** The largest page the API hands out (a page is built in one pass over the queue). */
    static final int MAX_PAGE = 10_000;

    private final MessageQueue queue;
    private final Clock clock;
    private final Runnable wakeDelivery;

    /**
     * @param wakeDelivery makes the delivery scheduler look at the queue now: the queue tells
     *     nobody when an admin makes recipients due, and the scheduler may be asleep until the
     *     old due time
     */
    public QueueRoutes(MessageQueue queue, Clock clock, Runnable wakeDelivery) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.wakeDelivery = Objects.requireNonNull(wakeDelivery, "wakeDelivery");
    }

    /** Adds the routes; all of them need the admin token when one is set. */
    public AdminServer.Builder addTo(AdminServer.Builder server) {
        return server.route("GET", PREFIX, false, this::get)
                .route("POST", PREFIX, false, this::post)
                .route("DELETE", PREFIX, false, this::delete);
    }

    AdminResponse get(AdminRequest request) {
        List<String> path = segments(request.path());
        return guarded(() -> switch (path.size()) {
            case 0 -> listing(request);
            case 1 -> withMessage(path.get(0), id -> Optional.empty(), this::view);
            default -> noSuchPath(request);
        });
    }

    AdminResponse post(AdminRequest request) {
        List<String> path = segments(request.path());
        return guarded(() -> {
            if (path.equals(List.of(RETRY_ALL))) {
                return ok(retryAll());
            }
            if (path.size() != 2) {
                return noSuchPath(request);
            }
            return switch (path.get(1)) {
                case "retry" -> withMessage(path.get(0), this::retry, this::view);
                case "hold" -> withMessage(path.get(0), act(queue::hold), this::view);
                case "release" -> withMessage(path.get(0), this::release, this::view);
                default -> noSuchPath(request);
            };
        });
    }

    AdminResponse delete(AdminRequest request) {
        List<String> path = segments(request.path());
        return guarded(() -> path.size() != 1 ? noSuchPath(request)
                : withMessage(path.get(0), act(queue::delete), id -> {
                    // the message's last line in the attempt log, as delivery writes one when it ends
                    attempts.info("{}: removed (deleted by an operator)", id.value());
                    return ok(new QueueReplies.Deleted(id.value()));
                }));
    }

    /** The whole queue, or the page the query asks for; a 400 for a limit or cursor that cannot be one. */
    private AdminResponse listing(AdminRequest request) {
        Optional<String> limitText = request.queryParam("limit");
        Optional<String> afterText = request.queryParam("after");
        if (limitText.isEmpty()) {
            if (afterText.isPresent()) {
                return error(400, "after needs a limit: /api/queue?limit=N&after=CURSOR");
            }
            return ok(new QueueReplies.Listing(clock.instant(), views(queue.list()), Optional.empty(),
                    queue.recovering().map(dev.relay.queue.RecoveryProgress::describe)));
        }
        int limit;
        try {
            limit = Integer.parseInt(limitText.get());
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > MAX_PAGE) {
            return error(400, "limit must be a number from 1 to " + MAX_PAGE + ", not " + limitText.get());
        }
        Optional<QueueCursor> after = Optional.empty();
        if (afterText.isPresent()) {
            after = QueueCursor.parse(afterText.get());
            if (after.isEmpty()) {
                return error(400, "not a queue listing cursor: " + afterText.get()
                        + " (use the next value of the previous page)");
            }
        }
        // one more than asked: whether another page follows
        List<QueuedMessage> page = queue.page(after, limit + 1);
        Optional<String> next = Optional.empty();
        if (page.size() > limit) {
            page = page.subList(0, limit);
            next = Optional.of(QueueCursor.of(page.getLast()).toString());
        }
        return ok(new QueueReplies.Listing(clock.instant(), views(page), next,
                queue.recovering().map(dev.relay.queue.RecoveryProgress::describe)));
    }

    /** Page by page: a retry of a large queue never copies it whole. */
    private QueueReplies.RetriedAll retryAll() {
        int retried = 0;
        int held = 0;
        Optional<QueueCursor> after = Optional.empty();
        List<QueuedMessage> page;
        do {
            page = queue.page(after, MAX_PAGE);
            for (QueuedMessage message : page) {
                if (message.held()) {
                    held++;
                } else if (queue.retryNow(message.id())) {
                    retried++;
                }
            }
            after = page.isEmpty() ? after : Optional.of(QueueCursor.of(page.getLast()));
        } while (page.size() == MAX_PAGE);
        wakeDelivery.run();
        return new QueueReplies.RetriedAll(retried, held);
    }

    /** Empty: done; a response: refused (the message went away meanwhile). */
    private Optional<AdminResponse> retry(QueueId id) {
        Optional<AdminResponse> refused = act(queue::retryNow).apply(id);
        wakeDelivery.run();
        return refused;
    }

    private Optional<AdminResponse> release(QueueId id) {
        Optional<AdminResponse> refused = act(queue::release).apply(id);
        wakeDelivery.run();
        return refused;
    }

    private static Function<QueueId, Optional<AdminResponse>> act(Predicate<QueueId> action) {
        return id -> action.test(id) ? Optional.empty() : Optional.of(notQueued(id.value()));
    }

    /**
     * Parses the id, checks the message is queued, applies {@code action}, then answers with
     * {@code answer}; every step that finds nothing is a 404.
     */
    private AdminResponse withMessage(String text, Function<QueueId, Optional<AdminResponse>> action,
            Function<QueueId, AdminResponse> answer) {
        Optional<QueueId> id = QueueId.parse(text);
        if (id.isEmpty() || queue.find(id.get()).isEmpty()) {
            return notQueued(text);
        }
        return action.apply(id.get()).orElseGet(() -> answer.apply(id.get()));
    }

    private AdminResponse view(QueueId id) {
        return queue.find(id).map(message -> ok(MessageView.of(message, clock.instant())))
                // delivered to the last recipient between the action and this look
                .orElseGet(() -> notQueued(id.value()));
    }

    private List<MessageView> views(List<QueuedMessage> messages) {
        Instant now = clock.instant();
        return messages.stream().map(message -> MessageView.of(message, now)).toList();
    }

    /** The path below {@link #PREFIX}, split on '/', empty segments dropped. */
    private static List<String> segments(String path) {
        String rest = path.length() > PREFIX.length() ? path.substring(PREFIX.length() + 1) : "";
        return Arrays.stream(rest.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * A queue closing under a request (the relay stopping) is a 503, not a 500; so is a spool
     * that cannot record the change now (its disk full): the change is written once it can.
     */
    private static AdminResponse guarded(Supplier<AdminResponse> call) {
        try {
            return call.get();
        } catch (IllegalStateException e) {
            return error(503, "the queue is not available: " + e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            return error(503, e.getCause().getMessage());
        }
    }

    private static AdminResponse notQueued(String id) {
        return error(404, "no message " + id + " in the queue");
    }

    private static AdminResponse noSuchPath(AdminRequest request) {
        return error(404, "no such queue API path: " + request.method() + " " + request.path());
    }

    static AdminResponse ok(Object body) {
        return json(200, body);
    }

    static AdminResponse error(int status, String message) {
        return json(status, new QueueReplies.Refusal(message));
    }

    private static AdminResponse json(int status, Object body) {
        try {
            return AdminResponse.json(status, AdminJson.mapper().writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
