package dev.relay.queue;

/** Why the spool could not write, as reported to {@link QueueEvents#spoolWriteFailed}. */
public enum WriteFailure {
    /** No room: a segment could not be prepared without going below the free-space reserve, or the disk was full. */
    NO_SPACE("no_space"),
    /** The file system refused a write or a sync for another reason. */
    IO_ERROR("io_error");

    private final String label;

    WriteFailure(String label) {
        this.label = label;
    }

    /** The metric label value. */
    public String label() {
        return label;
    }
}
