package dev.relay.queue.spool;

import dev.relay.queue.Envelope;
import dev.relay.queue.QueueId;
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
    private byte[] inline = new byte[0];
    private int inlineLength;
    private Path spillFile;
    private FileChannel spill;
    private ByteBuffer spillBuffer;
    private long size;
    private boolean finished;

    SegmentDraft(SegmentSpoolStore store, QueueId id, int inlineLimit) {
        this.store = store;
        this.id = id;
        this.inlineLimit = inlineLimit;
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
                inline = Arrays.copyOf(inline, Math.min(inlineLimit, Math.max(8192, 2 * (inlineLength + length))));
            }
            System.arraycopy(bytes, offset, inline, inlineLength, length);
            inlineLength += length;
        } else {
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
        while (head.hasRemaining()) {
            spill.write(head);
        }
        inline = null;
    }

    private void drainSpillBuffer() throws IOException {
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
            byte[] payload = MessagePayload.build(envelopeText, stateText, inline, 0, inlineLength);
            inline = null;
            return store.submit(new SpoolWriter.Commit(id, payload, false, inlineLength, new CompletableFuture<>()));
        }
        byte[] envelopeText = RecordText.envelope(id, envelope, new RecordText.Body(true, size));
        byte[] payload = MessagePayload.build(envelopeText, stateText, new byte[0], 0, 0);
        return store.syncBodyFile(this::closeSpill)
                .thenCompose(ignored -> store.submit(new SpoolWriter.Commit(id, payload, true, size, new CompletableFuture<>())))
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
