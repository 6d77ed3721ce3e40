package dev.relay.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.admin.AdminJson;
import dev.relay.admin.MessageView;
import dev.relay.admin.QueueReplies;
import java.io.PrintWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code queue list|show|retry|delete|hold|release}: the running relay's queue through its admin
 * API. Exit codes: 0 done; 1 the relay refused (unknown id); 2 the relay could not be asked
 * (unreachable, token refused, bad options or configuration).
 */
@Command(name = "queue", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "See and act on the running relay's queue (through its admin address).",
        subcommands = {QueueCommand.ListMessages.class, QueueCommand.Show.class, QueueCommand.Retry.class,
                QueueCommand.Delete.class, QueueCommand.Hold.class, QueueCommand.Release.class})
final class QueueCommand {

    /** A subcommand about one message, named by its queue id. */
    abstract static class OneMessage extends AdminAction {
        @Parameters(paramLabel = "ID", description = "queue id, as in the 250 reply and the logs")
        String id;
    }

    /** A subcommand that POSTs one action for a message and says what became of it. */
    abstract static class MessageAction extends OneMessage {
        private final String action;
        private final String done;

        MessageAction(String action, String done) {
            this.action = action;
            this.done = done;
        }

        @Override
        int run(AdminClient admin, PrintWriter out) throws JsonProcessingException {
            out.println(act(admin, id, action).id() + ": " + done);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "List queued messages, oldest first, with each recipient's state, next attempt and last reason; "
                    + "a page of --limit messages at a time.")
    static final class ListMessages extends AdminAction {
        @Option(names = "--json", description = "Print the admin API's JSON instead of a table.")
        boolean json;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
                description = "At most N messages (1 to 10000, default ${DEFAULT-VALUE}); the last line says how to see the next ones.")
        int limit;

        @Option(names = "--after", paramLabel = "CURSOR",
                description = "Start after this place in the listing: the cursor the previous page's last line gives.")
        String after;

        @Override
        int run(AdminClient admin, PrintWriter out) throws JsonProcessingException {
            if (limit < 1 || limit > 10_000) {
                throw new UserError("--limit must be from 1 to 10000, not " + limit);
            }
            if (after != null && dev.relay.queue.QueueCursor.parse(after).isEmpty()) {
                throw new UserError("--after: not a listing cursor: " + QueueText.safe(after)
                        + " (copy it from the last line of the previous page)");
            }
            String query = "?limit=" + limit + (after == null ? ""
                    : "&after=" + java.net.URLEncoder.encode(after, java.nio.charset.StandardCharsets.UTF_8));
            String body = expectOk(admin.get("/api/queue" + query), "the queue");
            if (json) {
                out.println(pretty(body));
                return 0;
            }
            QueueReplies.Listing listing = read(body, QueueReplies.Listing.class);
            listing.recovering().ifPresent(recovering -> out.println("-- " + recovering
                    + "; the messages not read yet are not listed"));
            out.print(QueueText.table(listing));
            listing.next().ifPresent(next -> out.println("-- more messages follow: queue list --limit " + limit
                    + " --after " + next));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Show one queued message in detail.")
    static final class Show extends OneMessage {
        @Option(names = "--json", description = "Print the admin API's JSON.")
        boolean json;

        @Override
        int run(AdminClient admin, PrintWriter out) throws JsonProcessingException {
            String body = expectOk(admin.get(messagePath(id, "")), id);
            out.print(json ? pretty(body) + "\n" : QueueText.detail(read(body, MessageView.class)));
            return 0;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Make a message's deferred recipients due now (or every message's, with --all).")
    static final class Retry extends AdminAction {
        @ArgGroup(multiplicity = "1")
        Which which;

        static final class Which {
            @Parameters(paramLabel = "ID", description = "queue id")
            String id;

            @Option(names = "--all", required = true, description = "every message not on hold")
            boolean all;
        }

        @Override
        int run(AdminClient admin, PrintWriter out) throws JsonProcessingException {
            if (which.all) {
                var result = read(expectOk(admin.post("/api/queue/retry-all"), "the queue"), QueueReplies.RetriedAll.class);
                out.println("retry requested for " + result.retried() + " message" + (result.retried() == 1 ? "" : "s")
                        + (result.held() > 0 ? "; " + result.held() + " on hold left alone" : ""));
                return 0;
            }
            MessageView after = act(admin, which.id, "/retry");
            out.println(after.id() + ": " + (after.state() == MessageView.State.HELD
                    ? "on hold: due once released (queue release " + after.id() + ")"
                    : "retry requested, open recipients due now"));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Remove a message from the queue. No bounce is sent.")
    static final class Delete extends OneMessage {
        @Override
        int run(AdminClient admin, PrintWriter out) throws JsonProcessingException {
            var deleted = read(expectOk(admin.delete(messagePath(id, "")), id), QueueReplies.Deleted.class);
            out.println(deleted.id() + ": deleted, no bounce sent");
            return 0;
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Stop delivery of a message until released.")
    static final class Hold extends MessageAction {
        Hold() {
            super("/hold", "on hold");
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Release a held message; its open recipients are due at once.")
    static final class Release extends MessageAction {
        Release() {
            super("/release", "released, open recipients due now");
        }
    }

    /** POSTs {@code action} ({@code /hold}, ...) for message {@code id}: the message as it stands after. */
    private static MessageView act(AdminClient admin, String id, String action) throws JsonProcessingException {
        return read(expectOk(admin.post(messagePath(id, action)), id), MessageView.class);
    }

    private static <T> T read(String json, Class<T> type) throws JsonProcessingException {
        return AdminJson.mapper().readValue(json, type);
    }

    /** The body of a 200, or the relay's own one-line reason as a {@link CommandFailure}. */
    static String expectOk(AdminClient.Reply reply, String subject) {
        if (reply.status() == 200) {
            return reply.body();
        }
        String reason;
        try {
            reason = AdminJson.mapper().readValue(reply.body(), QueueReplies.Refusal.class).error();
        } catch (JsonProcessingException | RuntimeException e) {
            reason = "the relay answered HTTP " + reply.status() + " for " + subject;
        }
        throw new CommandFailure(QueueText.safe(reason));
    }

    /**
     * {@code /api/queue/ID} + {@code action}. Ids are letters and digits; anything else cannot
     * name a message, and must not reach the URL as a path of its own ({@code ../}).
     */
    private static String messagePath(String id, String action) {
        if (id.isEmpty() || !id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z'))) {
            throw new CommandFailure("no message '" + QueueText.safe(id) + "' in the queue: a queue id is letters and digits");
        }
        return "/api/queue/" + id + action;
    }

    private static String pretty(String json) throws JsonProcessingException {
        JsonNode tree = AdminJson.mapper().readTree(json);
        return AdminJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    }
}
