package dev.relay.testkit;

import java.io.InputStream;

/**
 * A message body of any size, one line over and over, made up as it is read: large-body tests
 * need no memory or disk for it.
 */
public final class RepeatedLines extends InputStream {
    private final byte[] line;
    private final long size;
    private long position;

    /** {@code size} bytes of {@code line} repeated (the last copy cut short where the size ends). */
    public RepeatedLines(byte[] line, long size) {
        this.line = line.clone();
        this.size = size;
    }

    @Override
    public int read() {
        return position < size ? line[(int) (position++ % line.length)] : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(length, size - position);
        for (int i = 0; i < n; i++) {
            buffer[offset + i] = line[(int) (position++ % line.length)];
        }
        return n;
    }
}
