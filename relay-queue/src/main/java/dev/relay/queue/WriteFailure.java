package dev.relay.queue;

import dev.relay.label.LowerCaseLabel;

/**
 * Why the spool could not write, as reported to {@link QueueEvents#spoolWriteFailed}. Its label is
 * the metric label value: {@code no_space}, {@code io_error}.
 */
public enum WriteFailure implements LowerCaseLabel {
    /** No room: a segment could not be prepared without going below the free-space reserve, or the disk was full. */
    NO_SPACE,
    /** The file system refused a write or a sync for another reason. */
    IO_ERROR
}
