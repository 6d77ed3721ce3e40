package dev.relay.admin;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a route answers: a status, a content type and the body bytes. The server adds the
 * length, keep-alive and cache headers.
 */
@SuppressWarnings("ArrayRecordComponent") // the response body as written; never compared
public record AdminResponse(int status, String contentType, byte[] body) {

    public static final String JSON = "application/json; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String HTML = "text/html; charset=utf-8";

    public AdminResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status out of range: " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8, for logs and tests. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public static AdminResponse json(int status, String json) {
        return new AdminResponse(status, JSON, utf8(json));
    }

    public static AdminResponse text(int status, String text) {
        return new AdminResponse(status, TEXT, utf8(text));
    }

    public static AdminResponse html(String html) {
        return new AdminResponse(200, HTML, utf8(html));
    }

    public static AdminResponse bytes(int status, String contentType, byte[] body) {
        return new AdminResponse(status, contentType, body);
    }

    public static AdminResponse notFound(String what) {
        return text(404, what + "\n");
    }

    public static AdminResponse badRequest(String why) {
        return text(400, why + "\n");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
