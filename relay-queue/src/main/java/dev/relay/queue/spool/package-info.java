/**
 * Where queued messages are stored. Door: {@link dev.relay.queue.spool.SpoolStore} with its
 * two implementations, {@link dev.relay.queue.spool.SegmentSpoolStore} (an append-only log of
 * preallocated segment files, group commit, compaction, crash recovery) and
 * {@link dev.relay.queue.spool.MemorySpoolStore} (tests). Everything else here is internal:
 * record framing, the writer thread, recovery, compaction.
 */
package dev.relay.queue.spool;
