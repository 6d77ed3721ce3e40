package dev.relay.queue;

import java.util.Objects;

/** Whether the queue takes new mail right now (backpressure: a full disk, a queue over its cap). */
public sealed interface Admission {
    record Open() implements Admission {}

    record Refused(String reason) implements Admission {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    Admission OPEN = new Open();
}
