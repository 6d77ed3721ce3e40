package dev.relay.queue.spool;

import java.time.Duration;

/**
 * Knobs of the segment store; the defaults fit production, tests shrink them.
 *
 * @param segmentSize bytes preallocated per segment file
 * @param inlineBodyLimit bodies up to this size travel inside the commit record; larger ones
 *     spill to a file of their own while they are received
 * @param compactBelow a sealed segment whose live records fill less than this fraction of
 *     its own size (a segment made on a tight disk is smaller than {@code segmentSize}) has
 *     them rewritten at the head so the segment can go; 0 disables
 * @param removalSyncWithin how long the removal of a delivered message may wait for a sync that
 *     other records need (see {@link SpoolWriter}) before it gets one of its own
 */
public record SpoolTuning(long segmentSize, int inlineBodyLimit, double compactBelow, Duration removalSyncWithin) {

    public static final SpoolTuning DEFAULT = new SpoolTuning(64L << 20, 256 << 10, 0.25);

    /** With removals synced within a second. */
    public SpoolTuning(long segmentSize, int inlineBodyLimit, double compactBelow) {
        this(segmentSize, inlineBodyLimit, compactBelow, Duration.ofSeconds(1));
    }

    public SpoolTuning {
        if (segmentSize < 64 << 10 || segmentSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("segmentSize must be between 64 KB and 2 GB: " + segmentSize);
        }
        if (inlineBodyLimit < 0 || inlineBodyLimit > segmentSize / 8) {
            throw new IllegalArgumentException(
                    "inlineBodyLimit must be between 0 and segmentSize / 8: " + inlineBodyLimit);
        }
        if (!(compactBelow >= 0 && compactBelow < 1)) {
            throw new IllegalArgumentException("compactBelow must be in [0, 1): " + compactBelow);
        }
        if (removalSyncWithin.isNegative()) {
            throw new IllegalArgumentException("removalSyncWithin must not be negative: " + removalSyncWithin);
        }
    }
}
