package dev.relay.queue;

import dev.relay.label.EnumLabels;

/** Why the spool could not write, as reported to {@link QueueEvents#spoolWriteFailed}. */
public enum WriteFailure {
    /** No room: a segment could not be prepared without going below the free-space reserve, or the disk was full. */
    NO_SPACE,
    /** The file system refused a write or a sync for another reason. */
    IO_ERROR;

    /** The metric label value: {@code no_space}, {@code io_error}. */
    public String label() {
        return EnumLabels.LOWER_CASE.of(this);
    }
}
