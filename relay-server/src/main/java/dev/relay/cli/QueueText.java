package dev.relay.cli;

import dev.relay.admin.MessageView;
import dev.relay.admin.QueueReplies;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The human form of the queue, after {@code postqueue -p}: one line per message (id, age,
 * size, state, sender), then each recipient with its state, next attempt and last reason.
 * Remote replies and addresses are someone else's text: control and formatting characters are
 * replaced before they reach a terminal.
 */
final class QueueText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private QueueText() {}

    static String table(QueueReplies.Listing listing) {
        List<MessageView> messages = listing.messages();
        if (messages.isEmpty()) {
            return "Mail queue is empty\n";
        }
        int idWidth = Math.max("ID".length(), messages.stream().mapToInt(m -> m.id().length()).max().orElse(0));
        String row = "%-" + idWidth + "s  %8s  %8s  %-8s  %s%n";
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, row, "ID", "AGE", "SIZE", "STATE", "SENDER"));
        long bytes = 0;
        for (MessageView message : messages) {
            out.append(String.format(Locale.ROOT, row, message.id(), age(message.ageSeconds()), size(message.size()),
                    message.state().label(), sender(message.sender())));
            for (MessageView.RecipientView recipient : message.recipients()) {
                out.append("    ").append(safe(recipient.address())).append("  ").append(recipient.state().label());
                recipient.nextAttempt().ifPresent(next -> out.append(", next attempt ").append(when(next, listing.now())));
                out.append('\n');
                recipient.lastReason().ifPresent(reason -> out.append("        (").append(safe(reason)).append(")\n"));
            }
            bytes += message.size();
        }
        out.append(String.format(Locale.ROOT, "-- %d message%s, %s%n", messages.size(), messages.size() == 1 ? "" : "s",
                size(bytes)));
        return out.toString();
    }

    static String detail(MessageView message) {
        Instant now = message.arrival().plusSeconds(message.ageSeconds());
        StringBuilder out = new StringBuilder();
        field(out, "id", message.id());
        field(out, "state", message.state().label());
        field(out, "arrival", TIME.format(message.arrival().truncatedTo(ChronoUnit.SECONDS)) + " ("
                + age(message.ageSeconds()) + " ago)");
        field(out, "sender", sender(message.sender()));
        field(out, "size", size(message.size()) + " (" + message.size() + " bytes)");
        field(out, "attempts", Integer.toString(message.attempts()));
        field(out, "next attempt", message.nextAttempt().map(next -> when(next, now))
                .orElse(message.state() == MessageView.State.HELD ? "none: on hold" : "none"));
        out.append("recipients:\n");
        for (MessageView.RecipientView recipient : message.recipients()) {
            out.append("  ").append(safe(recipient.address())).append("  ").append(recipient.state().label()).append('\n');
            recipient.nextAttempt().ifPresent(next -> out.append("    next attempt: ").append(when(next, now)).append('\n'));
            recipient.finishedAt().ifPresent(at -> out.append("    at: ")
                    .append(TIME.format(at.truncatedTo(ChronoUnit.SECONDS))).append('\n'));
            recipient.lastReason().ifPresent(reason -> out.append("    last reason: ").append(safe(reason)).append('\n'));
            recipient.cause().ifPresent(cause -> out.append("    cause: ").append(safe(cause)).append('\n'));
        }
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "%-14s%s%n", name + ":", safe(value)));
    }

    private static String sender(String sender) {
        return sender.isEmpty() ? "<>" : safe(sender);
    }

    /** {@code 2025-11-30T14:03:00Z (in 1m48s)}, or {@code now} when already due. */
    static String when(Instant at, Instant now) {
        Duration until = Duration.between(now, at);
        String time = TIME.format(at.truncatedTo(ChronoUnit.SECONDS));
        return until.toSeconds() <= 0 ? "now" : time + " (in " + age(until.toSeconds()) + ")";
    }

    /** Compact, at most two units: {@code 42s}, {@code 3m12s}, {@code 2h05m}, {@code 4d03h}. */
    static String age(long seconds) {
        long s = Math.max(0, seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }

    /** Powers of 1024, as the config's sizes: {@code 812 B}, {@code 1.2 KB}, {@code 3.0 MB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** Replaces control and invisible formatting characters (terminal escapes, bidi overrides) with '?'. */
    static String safe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(
                Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c));
        return out.toString();
    }
}
