package dev.relay.dsn;

import dev.relay.queue.MessageDraft;
import java.io.IOException;
import java.io.OutputStream;

/** Lets the composer write straight into a queue draft; buffer it, the draft takes any size. */
final class DraftOutputStream extends OutputStream {
    private final MessageDraft draft;

    DraftOutputStream(MessageDraft draft) {
        this.draft = draft;
    }

    @Override
    public void write(int b) throws IOException {
        draft.write(new byte[] {(byte) b});
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        draft.write(bytes, offset, length);
    }
}
