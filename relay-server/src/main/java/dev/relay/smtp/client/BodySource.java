package dev.relay.smtp.client;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens the stored message body (CRLF line ends, not dot-stuffed), once per attempt. The
 * client reads it in chunks as the connection can take them and closes it when done; the
 * body is never held in memory whole.
 */
@FunctionalInterface
public interface BodySource {
    InputStream open() throws IOException;
}
