package dev.relay.queue.bench;

import dev.relay.queue.Envelope;
import dev.relay.queue.MailParameters;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.RecipientAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** Shared bits of the benchmark programs. */
final class BenchSupport {

    static final QueueEvents NO_EVENTS = QueueEvents.NONE;

    private BenchSupport() {}

    /** Counts syncs, as the relay's metrics would. */
    static final class SyncCounter implements QueueEvents {
        final AtomicLong syncs = new AtomicLong();
        final AtomicLong requests = new AtomicLong();

        @Override
        public void synced(int commits) {
            syncs.incrementAndGet();
            requests.addAndGet(commits);
        }

        void reset() {
            syncs.set(0);
            requests.set(0);
        }
    }

    /** A typical envelope: one recipient, the usual client details. */
    static Envelope envelope(int n) {
        return new Envelope("sender" + (n % 100) + "@example.com",
                List.of(RecipientAddress.of("rcpt" + n + "@example.org")), MailParameters.NONE, Instant.now(),
                "192.0.2." + (n % 250), "client" + (n % 100) + ".example.com", Optional.empty());
    }

    /** A body of the given size that looks like mail: CRLF-terminated printable lines. */
    static byte[] body(int size) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        for (int i = 76; i < size - 1; i += 78) {
            body[i] = '\r';
            body[i + 1] = '\n';
        }
        return body;
    }

    /** The spool directory: the given one, or a fresh temporary one (deleted by {@link #deleteTree}). */
    static Path directory(String[] args, int index) throws IOException {
        return args.length > index ? Path.of(args[index]) : Files.createTempDirectory("relay-queue-bench");
    }

    static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
