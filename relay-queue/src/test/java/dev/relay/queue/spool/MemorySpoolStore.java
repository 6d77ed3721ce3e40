package dev.relay.queue.spool;

import dev.relay.queue.QueueSettings;

import dev.relay.queue.Envelope;
import dev.relay.queue.QueueEvents;
import dev.relay.queue.QueueId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store that keeps everything in memory: for tests of the queue logic, and as the second
 * implementation the contract suite runs against. Its {@link Contents} outlive the store, so
 * "reopening" over the same contents behaves like a restart without a crash.
 */
public final class MemorySpoolStore implements SpoolStore {

    /** What a memory "spool directory" holds. */
    public static final class Contents {
        private final Map<QueueId, Stored> messages = new ConcurrentHashMap<>();
        private volatile long usableSpace = Long.MAX_VALUE / 2;

        /** Pretends the "disk" has this many free bytes, for admission tests. */
        public void usableSpace(long bytes) {
            this.usableSpace = bytes;
        }

        public int size() {
            return messages.size();
        }
    }

    private record Stored(Envelope envelope, MessageState state, byte[] body, long order) {}

    private final Contents contents;
    private final QueueEvents events;
    private volatile boolean closed;

    public MemorySpoolStore(Contents contents, QueueEvents events) {
        this.contents = contents;
        this.events = events;
    }

    @Override
    public CompletableFuture<List<StoredMessage>> recovered() {
        List<Map.Entry<QueueId, Stored>> entries = new ArrayList<>(contents.messages.entrySet());
        entries.sort(Map.Entry.comparingByValue((a, b) -> Long.compare(a.order(), b.order())));
        return CompletableFuture.completedFuture(entries.stream()
                .map(e -> new StoredMessage(e.getKey(), e.getValue().envelope().arrival(), e.getValue().state(),
                        e.getValue().body().length))
                .toList());
    }

    @Override
    public StoreDraft newDraft(QueueId id) {
        ensureOpen();
        return new StoreDraft() {
            private ByteArrayOutputStream body = new ByteArrayOutputStream();

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (body == null) {
                    throw new IllegalStateException("draft " + id + " is already committed or discarded");
                }
                body.write(bytes, offset, length);
            }

            @Override
            public long size() {
                return body == null ? 0 : body.size();
            }

            @Override
            public CompletableFuture<Void> commit(Envelope envelope, MessageState state) {
                ensureOpen();
                if (body == null) {
                    throw new IllegalStateException("draft " + id + " is already committed or discarded");
                }
                contents.messages.put(id, new Stored(envelope, state, body.toByteArray(), System.nanoTime()));
                body = null;
                return synced();
            }

            @Override
            public void discard() {
                body = null;
            }
        };
    }

    @Override
    public CompletableFuture<Void> update(QueueId id, MessageState state) {
        ensureOpen();
        contents.messages.computeIfPresent(id, (key, old) -> new Stored(old.envelope(), state, old.body(), old.order()));
        return synced();
    }

    @Override
    public CompletableFuture<Void> remove(QueueId id, RemovalReason reason) {
        ensureOpen();
        contents.messages.remove(id);
        return synced();
    }

    @Override
    public InputStream openBody(QueueId id) throws NoSuchFileException {
        return new ByteArrayInputStream(stored(id).body());
    }

    @Override
    public Envelope envelope(QueueId id) throws NoSuchFileException {
        return stored(id).envelope();
    }

    private Stored stored(QueueId id) throws NoSuchFileException {
        ensureOpen();
        Stored stored = contents.messages.get(id);
        if (stored == null) {
            throw new NoSuchFileException("no message " + id + " in the spool");
        }
        return stored;
    }

    @Override
    public long usableSpace() {
        return contents.usableSpace;
    }

    @Override
    public Optional<String> failure() {
        return Optional.empty();
    }

    @Override
    public void close() {
        closed = true;
    }

    private CompletableFuture<Void> synced() {
        events.synced(1);
        return CompletableFuture.completedFuture(null);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the spool is closed");
        }
    }

    /** A queue whose messages live in memory only, over {@code contents} (kept across "restarts"). */
    public static SpoolQueue queue(Contents contents, QueueSettings settings, java.time.Clock clock, QueueEvents events) {
        return SpoolQueue.over(new MemorySpoolStore(contents, events), settings, clock, events);
    }
}
