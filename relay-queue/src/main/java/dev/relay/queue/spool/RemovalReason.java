package dev.relay.queue.spool;

import dev.relay.label.LowerCaseLabel;

/** Why a message leaves the store; written into the removal record for whoever reads the spool. */
public enum RemovalReason implements LowerCaseLabel {
    /** Every recipient reached a final status. */
    COMPLETED,
    /** An admin deleted it. */
    DELETED
}
