package dev.relay.mtasts;

import java.util.Objects;

/** How one policy fetch ended. */
public sealed interface FetchResult {

    /** The metric label: {@code ok} or the failure's {@link FetchFailure#label()}. */
    String label();

    /**
     * A 200 response with a body within the size limit, decoded as UTF-8 (invalid bytes become
     * U+FFFD, which no valid policy contains). Not parsed yet.
     */
    record Fetched(String body) implements FetchResult {
        public Fetched {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public String label() {
            return "ok";
        }
    }

    /**
     * @param detail one line for logs and the diagnostic, e.g. {@code redirect to
     *     https://elsewhere.example/ not followed (HTTP 301)}
     */
    record Failed(FetchFailure kind, String detail) implements FetchResult {
        public Failed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String label() {
            return kind.label();
        }
    }
}
