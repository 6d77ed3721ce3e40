package dev.relay.queue.spool;

/** Why a message leaves the store; written into the removal record for whoever reads the spool. */
public enum RemovalReason {
    /** Every recipient reached a final status. */
    COMPLETED,
    /** An admin deleted it. */
    DELETED
}
