package dev.relay.tlsrpt;

import java.util.concurrent.CompletionStage;

/** Puts a report message into the relay's own queue, marked as a TLS report (its loop guard). */
@FunctionalInterface
public interface ReportMailer {

    /**
     * @param message the whole message, header and body ({@link ReportMail#compose})
     * @return the queue id, once committed; completes exceptionally when the queue refused it
     */
    CompletionStage<String> queue(String from, String to, byte[] message);
}
