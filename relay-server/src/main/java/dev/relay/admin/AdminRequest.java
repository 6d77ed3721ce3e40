package dev.relay.admin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request to the admin server, decoded and detached from Netty, so routes can run on
 * any thread and be tested without a socket.
 *
 * @param method upper case, e.g. {@code GET}; a {@code HEAD} request reaches routes as {@code GET}
 * @param path the decoded path without the query, e.g. {@code /queue/ABC123}
 * @param query the decoded query parameters, in the order given
 * @param bearerToken the token from {@code Authorization: Bearer ...}, when sent
 * @param body the request body (empty for GET); capped by the server
 * @param headers request headers by lower-case name (first value only), for content
 *     negotiation such as {@code accept}; never holds {@code authorization}
 * @param client the address the request came from ({@code 127.0.0.1}), for log lines that say
 *     who changed something; empty in tests without a socket
 */
@SuppressWarnings("ArrayRecordComponent") // the request body as received; never compared
public record AdminRequest(String method, String path, Map<String, List<String>> query,
        Optional<String> bearerToken, byte[] body, Map<String, String> headers, Optional<String> client) {

    public AdminRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        Objects.requireNonNull(bearerToken, "bearerToken");
        body = body.clone();
        headers = Map.copyOf(headers);
    }

    /** A request from no known address (tests without a socket). */
    public AdminRequest(String method, String path, Map<String, List<String>> query, Optional<String> bearerToken,
            byte[] body, Map<String, String> headers) {
        this(method, path, query, bearerToken, body, headers, Optional.empty());
    }

    /** A request without headers (routes that do not negotiate, and tests). */
    public AdminRequest(String method, String path, Map<String, List<String>> query, Optional<String> bearerToken,
            byte[] body) {
        this(method, path, query, bearerToken, body, Map.of());
    }

    /** A header's value, by name in any case. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
