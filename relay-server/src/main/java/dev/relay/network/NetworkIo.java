package dev.relay.network;

import dev.relay.concurrent.FutureFailures;
import dev.relay.label.DashedLabel;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The {@code network.io} setting: which {@link Transport} the SMTP listeners and the outbound
 * client run on. Its labels are as written in the configuration.
 */
public enum NetworkIo implements DashedLabel {
    /** The cheapest this machine allows: io_uring, else epoll, else NIO. The default. */
    AUTO,
    IO_URING,
    EPOLL,
    NIO;

    public static Optional<NetworkIo> fromLabel(String label) {
        return DashedLabel.fromLabel(NetworkIo.class, label);
    }

    /**
     * The transport this setting asks for, when it can run here; else why not, for the message
     * that stops the start (an operator who names a transport means it: no quiet fallback).
     */
    public Transport transport() {
        Transport transport = switch (this) {
            case AUTO -> Transport.best();
            case IO_URING -> Transport.IO_URING;
            case EPOLL -> Transport.EPOLL;
            case NIO -> Transport.NIO;
        };
        transport.unavailableBecause().ifPresent(reason -> {
            throw refused(reason);
        });
        return transport;
    }

    /**
     * What {@code start} gives on the first transport that starts. For {@code auto} that is each
     * available transport in turn: Netty's probe makes one small ring, and a kernel can still
     * refuse the event loops' real ones (locked-memory limits before Linux 5.12), so a failure
     * to start moves on to the next. A named transport gets no second try.
     *
     * @param start builds what runs on a transport; throws if the transport cannot start
     * @param fellBack told of each transport that did not start, and why, before the next is tried
     * @throws IllegalStateException when a named transport, or the last one, does not start
     */
    public <T> T start(Function<Transport, T> start, BiConsumer<Transport, String> fellBack) {
        List<Transport> candidates = this == AUTO ? Transport.available() : List.of(transport());
        for (int i = 0; ; i++) {
            Transport transport = candidates.get(i);
            try {
                return start.apply(transport);
            } catch (RuntimeException | LinkageError e) {
                String reason = FutureFailures.rootMessage(e);
                if (i == candidates.size() - 1) {
                    throw this == AUTO
                            ? new IllegalStateException("network I/O could not start on " + transport.label() + ": " + reason, e)
                            : refused(reason);
                }
                fellBack.accept(transport, reason);
            }
        }
    }

    private IllegalStateException refused(String reason) {
        return new IllegalStateException("network.io is " + label() + ", which this system does not allow (" + reason
                + "); set it to auto to use the best available");
    }
}
