package dev.relay.smtp.server;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long one session may take to send what we wait for, as Postfix's
 * {@code smtpd_per_record_deadline} and {@code smtpd_min_data_rate} do it. A command line must be
 * complete within the command timeout of the moment we began waiting for it; message content
 * starts with the data timeout, and every N octets received add N / min-data-rate seconds, never
 * more than the data timeout ahead. Unlike an idle timeout, octets trickling in do not restart
 * it: a client sending one octet every few seconds cannot hold a connection slot for ever.
 *
 * <p>One timer at most is pending; moving the deadline later does not touch it (it re-arms when
 * it fires early), so the per-command cost is a field write. Time is the event loop's ticker, so
 * tests on an embedded channel move it as they move the idle timer. Event loop only.
 */
final class ReadDeadline {

    /** For {@code limits.per-record-deadline: false}: timeouts are the idle timer's alone. */
    static final ReadDeadline OFF = new ReadDeadline(null, () -> { }, 1);

    private final EventExecutor loop;
    private final Ticker ticker;
    private final Runnable onExpiry;
    private final long minDataRate;
    private long deadline;
    private long dataLimitNanos;
    private boolean armed;
    private ScheduledFuture<?> timer;
    private long timerAt;

    /**
     * @param onExpiry run on the event loop when the deadline passes
     * @param minDataRate octets per second of content that earn one second more
     */
    ReadDeadline(EventExecutor loop, Runnable onExpiry, long minDataRate) {
        if (minDataRate < 1) {
            throw new IllegalArgumentException("minimum data rate must be positive: " + minDataRate);
        }
        this.loop = loop;
        this.ticker = loop == null ? Ticker.systemTicker() : loop.ticker();
        this.onExpiry = onExpiry;
        this.minDataRate = minDataRate;
    }

    /** Waiting for a command line from now on: it must be complete within {@code limit}. */
    void command(Duration limit) {
        arm(limit.toNanos(), 0);
    }

    /** Content follows from now on (DATA or a BDAT chunk), under {@code limit} and the minimum rate. */
    void content(Duration limit) {
        arm(limit.toNanos(), limit.toNanos());
    }

    /** Content octets arrived: they buy time at the minimum rate, up to the data limit from now. */
    void received(long octets) {
        if (!armed || dataLimitNanos == 0) {
            return;
        }
        long now = ticker.nanoTime();
        long earned = octets >= Long.MAX_VALUE / 1_000_000_000L ? dataLimitNanos : octets * 1_000_000_000L / minDataRate;
        deadline = Math.min(now + dataLimitNanos, deadline + earned);
    }

    /** Nothing is awaited from the client (we are the slow side, or the session ended). */
    void stop() {
        armed = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void arm(long limitNanos, long dataLimit) {
        if (loop == null || limitNanos <= 0) {
            return; // off, or a zero timeout meaning no limit
        }
        armed = true;
        dataLimitNanos = dataLimit;
        deadline = ticker.nanoTime() + limitNanos;
        if (timer == null || deadline < timerAt) {
            schedule();
        }
    }

    private void schedule() {
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = deadline;
        timer = loop.schedule(this::fire, Math.max(0, deadline - ticker.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void fire() {
        timer = null;
        if (!armed) {
            return;
        }
        if (ticker.nanoTime() - deadline < 0) {
            schedule(); // moved later meanwhile
            return;
        }
        armed = false;
        onExpiry.run();
    }
}
