package dev.relay.smtp.client;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The service extensions a server announced in its EHLO reply: keyword (upper case) to
 * parameters. Empty after HELO.
 */
public record Extensions(Map<String, String> keywords) {

    public static final Extensions NONE = new Extensions(Map.of());

    public Extensions {
        keywords = Map.copyOf(keywords);
    }

    /** Reads an EHLO reply: the first line names the server, each later line is one extension. */
    public static Extensions fromEhlo(SmtpReply reply) {
        Map<String, String> found = new TreeMap<>();
        for (int i = 1; i < reply.lines().size(); i++) {
            String line = reply.lines().get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int space = line.indexOf(' ');
            String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String parameters = space < 0 ? "" : line.substring(space + 1).strip();
            found.putIfAbsent(keyword, parameters);
        }
        return new Extensions(found);
    }

    public boolean has(String keyword) {
        return keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    public Optional<String> parameters(String keyword) {
        return Optional.ofNullable(keywords.get(keyword.toUpperCase(Locale.ROOT)));
    }

    /**
     * The SIZE limit, when the server announced a positive one ({@code SIZE} alone or
     * {@code SIZE 0} means no fixed limit, RFC 1870).
     */
    public OptionalLong sizeLimit() {
        String value = keywords.get("SIZE");
        if (value == null || value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long limit = Long.parseLong(value.split(" ", 2)[0]);
            return limit > 0 ? OptionalLong.of(limit) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
