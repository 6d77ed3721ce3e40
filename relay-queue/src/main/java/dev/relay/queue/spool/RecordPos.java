package dev.relay.queue.spool;

/** Where a record lies: segment number, offset of its header, and its length with header. */
record RecordPos(long segment, long offset, int length) {
    long end() {
        return offset + length;
    }
}
