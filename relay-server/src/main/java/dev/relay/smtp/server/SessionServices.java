package dev.relay.smtp.server;

import dev.relay.auth.Authenticator;
import dev.relay.queue.MessageQueue;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every session of one listener shares.
 *
 * @param blockingExecutor runs work that must not block an event loop (password hashing)
 * @param draining set once the listener shuts down: new sessions are refused with 421
 */
record SessionServices(
        SmtpSettings settings,
        MessageQueue queue,
        Authenticator authenticator,
        Executor blockingExecutor,
        Optional<SslContext> sslContext,
        ConnectionLimiter limiter,
        SmtpEvents events,
        Clock clock,
        AtomicBoolean draining) {

    SessionServices {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(blockingExecutor, "blockingExecutor");
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(limiter, "limiter");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(draining, "draining");
        if (sslContext.isPresent() && sslContext.get().isClient()) {
            throw new IllegalArgumentException("the listener needs a server SslContext");
        }
    }

    ListenerPolicy policy() {
        return new ListenerPolicy(settings.listener(), settings.relayNetworks(), sslContext.isPresent(),
                settings.requireTls());
    }

    String listenerName() {
        return settings.listener().name();
    }
}
