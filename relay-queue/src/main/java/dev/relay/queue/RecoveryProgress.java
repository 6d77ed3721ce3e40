package dev.relay.queue;

/**
 * How far the replay of the spool found at start has got, while it runs (the queue takes new
 * mail meanwhile; the messages found join the queue when the replay is done).
 *
 * @param segmentsReplayed segment files read so far
 * @param segments segment files to read
 * @param messagesFound queued messages found so far
 * @param bytesReplayed bytes of segment files read so far
 * @param bytes bytes of segment files to read
 */
public record RecoveryProgress(int segmentsReplayed, int segments, long messagesFound, long bytesReplayed,
        long bytes) {

    /** For the status page and the log: "recovering the spool: 120 000 messages found, 12 of 64 segments read". */
    public String describe() {
        String found = String.format(java.util.Locale.ROOT, "%,d", messagesFound).replace(',', ' ');
        return "recovering the spool: " + found + " messages found so far, " + segmentsReplayed + " of " + segments
                + " segments read; new mail is accepted meanwhile";
    }
}
