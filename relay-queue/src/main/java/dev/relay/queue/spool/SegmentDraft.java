package dev.relay.queue.spool;

import dev.relay.queue.Envelope;
import dev.relay.queue.QueueId;
import dev.relay.queue.SpoolFullException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * A body on its way into the segment store. Up to the inline limit it grows in memory and
 * travels inside the commit record; past it, it streams to {@code large/<id>.body}, which is
 * fsync'd (file and directory) before the commit record that refers to it is written.
 */
final class SegmentDraft implements StoreDraft {

    private static final int SPILL_BUFFER = 64 << 10;

    private final SegmentSpoolStore store;
    private final QueueId id;
    private final int inlineLimit;
    private byte[] inline;
    private int inlineLength;
    private Path spillFile;
    private FileChannel spill;
    private ByteBuffer spillBuffer;
    private long size;
    private boolean finished;

    /** @param expectedSize what the body will probably take (sizes the first buffer; may be 0) */
    SegmentDraft(SegmentSpoolStore store, QueueId id, int inlineLimit, int expectedSize) {
        this.store = store;
        this.id = id;
        this.inlineLimit = inlineLimit;
        this.inline = new byte[Math.min(inlineLimit, Math.max(0, expectedSize))];
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (finished) {
            throw new IllegalStateException("draft " + id + " is already committed or discarded");
        }
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        size += length;
        if (spill == null && size <= inlineLimit) {
            if (inlineLength + length > inline.length) {
                // the first buffer is sized from recent messages, so this is rare
                inline = Arrays.copyOf(inline, Math.min(inlineLimit, Math.max(8192, 2 * (inlineLength + length))));
            }
            System.arraycopy(bytes, offset, inline, inlineLength, length);
            inlineLength += length;
        } else {
            try {
                if (spill == null) {
                    startSpill();
                }
                while (length > 0) {
                    int chunk = Math.min(length, spillBuffer.remaining());
                    spillBuffer.put(bytes, offset, chunk);
                    offset += chunk;
                    length -= chunk;
                    if (!spillBuffer.hasRemaining()) {
                        drainSpillBuffer();
                    }
                }
            } catch (IOException e) {
                throw NoSpace.is(e) ? new SpoolFullException("no room for the message body: " + e.getMessage()) : e;
            }
        }
    }

    @Override
    public long size() {
        return size;
    }

    private void startSpill() throws IOException {
        spillFile = store.layout().largeBody(id);
        spill = FileChannel.open(spillFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        spillBuffer = ByteBuffer.allocate(SPILL_BUFFER);
        ByteBuffer head = ByteBuffer.wrap(inline, 0, inlineLength);
        store.spilled(inlineLength);
        while (head.hasRemaining()) {
            spill.write(head);
        }
        inline = null;
    }

    private void drainSpillBuffer() throws IOException {
        // a large body takes disk space as it arrives: it must not take the reserve
        store.checkRoomForBody(spillBuffer.position());
        store.spilled(spillBuffer.position());
        spillBuffer.flip();
        while (spillBuffer.hasRemaining()) {
            spill.write(spillBuffer);
        }
        spillBuffer.clear();
    }

    @Override
    public CompletableFuture<Void> commit(Envelope envelope, MessageState state) {
        store.ensureOpen();
        if (finished) {
            throw new IllegalStateException("draft " + id + " is already committed or discarded");
        }
        finished = true;
        byte[] stateText = RecordText.state(id, state);
        if (spill == null) {
            byte[] envelopeText = RecordText.envelope(id, envelope, new RecordText.Body(false, inlineLength));
            byte[] head = MessagePayload.head(envelopeText, stateText);
            byte[] body = inline;
            inline = null;
            store.bodySeen(inlineLength);
            // the body goes to the writer as it is: it is copied once, into the log's buffer
            return store.submit(new SpoolWriter.Commit(id, head, body, inlineLength, false, inlineLength,
                    new CompletableFuture<>()));
        }
        byte[] envelopeText = RecordText.envelope(id, envelope, new RecordText.Body(true, size));
        byte[] head = MessagePayload.head(envelopeText, stateText);
        return store.syncBodyFile(this::closeSpill)
                .thenCompose(ignored -> store.submit(
                        new SpoolWriter.Commit(id, head, head, 0, true, size, new CompletableFuture<>())))
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        deleteSpill();
                    }
                });
    }

    /** Runs on the store's body-sync thread: the file must be durable before its record. */
    private void closeSpill() throws IOException {
        try (FileChannel channel = spill) {
            drainSpillBuffer();
            channel.force(true);
        } catch (IOException e) {
            throw NoSpace.is(e) ? new SpoolFullException("no room for the message body: " + e.getMessage()) : e;
        }
        SpoolLayout.syncDirectory(spillFile.getParent());
    }

    @Override
    public void discard() {
        if (finished) {
            return;
        }
        finished = true;
        inline = null;
        deleteSpill();
    }

    private void deleteSpill() {
        if (spillFile == null) {
            return;
        }
        try {
            spill.close();
            Files.deleteIfExists(spillFile);
        } catch (IOException e) {
            // an orphan body file is removed at the next start
        }
    }
}
