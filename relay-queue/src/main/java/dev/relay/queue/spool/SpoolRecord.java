package dev.relay.queue.spool;

/** A record read back and verified. */
@SuppressWarnings("ArrayRecordComponent") // the payload as read from the segment, not copied; never compared
record SpoolRecord(RecordType type, RecordPos pos, byte[] payload) {}
