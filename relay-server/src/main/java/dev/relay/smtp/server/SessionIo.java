package dev.relay.smtp.server;

/**
 * What the protocol ({@link SmtpSession}) asks of the connection it runs on. {@link SessionHandler}
 * does it on a Netty channel; unit tests record it. Everything is called on the session's own
 * thread (the event loop), and so are the tasks given to {@link #later}.
 */
interface SessionIo {

    /** Queues a reply; the connection flushes when the input read so far is used up. */
    void write(Reply reply);

    /** Writes a reply and flushes it now (the greeting: no input is being read). */
    void writeAndFlush(Reply reply);

    /** Stops reading, writes the last reply, and closes once it is written (at once if the client reads nothing). */
    void closeAfter(Reply reply);

    /** Closes without a reply. */
    void close();

    /** Octets read from the client and not yet made into input. */
    int buffered();

    /** Drops the octets read and not yet made into input; returns how many. */
    int discardBuffered();

    /** Stops making input (see {@link SmtpFramer.Hold}). */
    void hold(SmtpFramer.Hold reason);

    /** Ends a hold, flushes what was written meanwhile, and goes on with input buffered. */
    void release(SmtpFramer.Hold reason);

    /** What follows is DATA content, up to the end-of-data line. */
    void expectData();

    /** What follows is {@code size} octets of a BDAT chunk. */
    void expectChunk(long size);

    /** Writes {@code ready} in clear text, then starts the TLS handshake (RFC 3207). */
    void startTls(Reply ready);

    /** A command line is awaited from now on: command timeouts apply. */
    void awaitCommand();

    /** Message content is awaited from now on: data timeouts apply. */
    void awaitContent();

    /** Content octets arrived (they buy time under the minimum data rate). */
    void contentReceived(long octets);

    /**
     * Runs {@code task} on the session's thread after the current work, also when called from
     * another thread (a commit or a password check completing); dropped if that thread is gone.
     */
    void later(Runnable task);
}
