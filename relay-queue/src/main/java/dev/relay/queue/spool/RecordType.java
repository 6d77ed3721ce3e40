package dev.relay.queue.spool;

/** The kinds of record in a segment; the code is the byte written after the magic. */
enum RecordType {
    /** First record of every segment: its number and the format version. */
    HEADER(1),
    /** A new or rewritten message: envelope text, state text, and the body when inline. */
    MESSAGE(2),
    /** The whole mutable state of a message (statuses, attempts, hold): latest wins. */
    STATE(3),
    /** The message is complete or deleted. */
    REMOVE(4),
    /** Last record of a segment that was closed on purpose; nothing after it counts. */
    SEAL(5);

    final byte code;

    RecordType(int code) {
        this.code = (byte) code;
    }

    static RecordType ofCode(byte code) {
        for (RecordType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
