package dev.relay.network;

import dev.relay.label.DashedLabel;
import java.util.Optional;

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
            throw new IllegalStateException("network.io is " + label() + ", which this system does not allow ("
                    + reason + "); set it to auto to use the best available");
        });
        return transport;
    }
}
