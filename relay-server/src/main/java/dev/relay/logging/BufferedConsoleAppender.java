package dev.relay.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Logback's console appender with the lines gathered in a buffer and written together, instead
 * of one {@code write(2)} per line (System.out flushes every line it is given; at three lines
 * per message that was about 3.4 of the relay's 22.5 syscalls per message, see BENCHMARKS.md).
 *
 * <p>What can be lost, and when lines appear:
 * <ul>
 *   <li>the buffer is written when it is full ({@code bufferSize}, default 8 KB, about 50
 *       lines), every {@code flushIntervalMillis} (default 1 000) by a daemon thread, and at once
 *       for every WARN or ERROR line, so problems are never held back;
 *   <li>when the JVM shuts down (SIGTERM, System.exit, the end of main), a shutdown hook writes
 *       the buffer and turns buffering off, so lines logged by other shutdown hooks after it are
 *       written at once too: an orderly stop loses nothing;
 *   <li>stopping the appender (the logging context stops) writes the buffer;
 *   <li>only a process killed without a shutdown (SIGKILL, an out-of-memory kill, a JVM crash)
 *       loses what the buffer held: at most the last second of INFO lines and at most
 *       {@code bufferSize} bytes.
 * </ul>
 */
public final class BufferedConsoleAppender extends ConsoleAppender<ILoggingEvent> {

    private int bufferSize = 8192;
    private long flushIntervalMillis = 1000;
    private ScheduledExecutorService flusher;
    private ScheduledFuture<?> periodicFlush;
    private Thread shutdownHook;

    /** Bytes gathered before they are written; set from the configuration file. */
    public void setBufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    /** The longest time a line waits in the buffer; set from the configuration file. */
    public void setFlushIntervalMillis(long flushIntervalMillis) {
        this.flushIntervalMillis = flushIntervalMillis;
    }

    @Override
    public void start() {
        if (bufferSize < 1 || flushIntervalMillis < 1) {
            addError("bufferSize and flushIntervalMillis must be positive for appender [" + name + "]");
            return;
        }
        setImmediateFlush(false);
        super.start(); // hands the console stream to setOutputStream, which wraps it in the buffer
        if (!isStarted()) {
            return;
        }
        flusher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "log-flush");
            thread.setDaemon(true); // never keeps the JVM up; the shutdown hook writes what is left
            return thread;
        });
        periodicFlush = flusher.scheduleWithFixedDelay(this::flush, flushIntervalMillis, flushIntervalMillis,
                TimeUnit.MILLISECONDS);
        shutdownHook = new Thread(this::unbuffer, "log-flush-at-exit");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    @Override
    public void setOutputStream(OutputStream outputStream) {
        super.setOutputStream(new BufferedOutputStream(outputStream, bufferSize));
    }

    @Override
    protected void subAppend(ILoggingEvent event) {
        super.subAppend(event);
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            flush();
        }
    }

    /** Writes what the buffer holds now. */
    public void flush() {
        streamWriteLock.lock();
        try {
            OutputStream out = getOutputStream();
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            addError("cannot write the log lines to the console", e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    /** At JVM shutdown: writes the buffer and every later line at once. */
    private void unbuffer() {
        streamWriteLock.lock();
        try {
            setImmediateFlush(true);
            flush();
        } finally {
            streamWriteLock.unlock();
        }
    }

    @Override
    public void stop() {
        if (periodicFlush != null) {
            periodicFlush.cancel(false);
            flusher.shutdown();
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or has run; closing the stream below writes the buffer anyway
            }
            shutdownHook = null;
        }
        super.stop(); // closes the buffer, which writes it; the console stream itself stays open
    }
}
