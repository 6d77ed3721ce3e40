package dev.relay.queue.spool;

/** A record read back and verified. */
record SpoolRecord(RecordType type, RecordPos pos, byte[] payload) {}
