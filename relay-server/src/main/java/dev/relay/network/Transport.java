package dev.relay.network;

import dev.relay.concurrent.FutureFailures;
import dev.relay.label.DashedLabel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A Netty transport: the kind of event loop and the socket types that go with it. Listed from
 * the cheapest per message to the one that runs everywhere. With many clients connected at once
 * io_uring takes about an eighth less CPU per accepted message than epoll, with a few the same
 * (BENCHMARKS.md, "Network I/O through io_uring"); but kernels, seccomp profiles (Docker's
 * default since 25.0) and sysctls often forbid it. NIO needs nothing beyond the JVM.
 */
public enum Transport implements DashedLabel {
    IO_URING(IoUringIoHandler.class, IoUringServerSocketChannel.class, IoUringSocketChannel.class,
            IoUring::unavailabilityCause, IoUringIoHandler::newFactory),
    EPOLL(EpollIoHandler.class, EpollServerSocketChannel.class, EpollSocketChannel.class,
            Epoll::unavailabilityCause, EpollIoHandler::newFactory),
    NIO(NioIoHandler.class, NioServerSocketChannel.class, NioSocketChannel.class,
            () -> null, NioIoHandler::newFactory);

    private final Class<? extends IoHandler> handlerType;
    private final Class<? extends ServerSocketChannel> serverChannel;
    private final Class<? extends SocketChannel> socketChannel;
    // both are references to Netty's static methods, which hold no state of their own
    /** Netty's reason this transport cannot run here (its native library did not load, the kernel refused it), or null. */
    @SuppressWarnings("ImmutableEnumChecker")
    private final Supplier<Throwable> unavailability;
    @SuppressWarnings("ImmutableEnumChecker")
    private final Supplier<IoHandlerFactory> factory;

    Transport(Class<? extends IoHandler> handlerType, Class<? extends ServerSocketChannel> serverChannel,
            Class<? extends SocketChannel> socketChannel, Supplier<Throwable> unavailability,
            Supplier<IoHandlerFactory> factory) {
        this.handlerType = handlerType;
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
        this.unavailability = unavailability;
        this.factory = factory;
    }

    private Optional<Throwable> unavailability() {
        return Optional.ofNullable(unavailability.get());
    }

    public boolean isAvailable() {
        return unavailability().isEmpty();
    }

    /**
     * Why this transport cannot run here, in the words of the innermost cause (Netty wraps the
     * kernel's refusal in layers); empty when it can.
     */
    public Optional<String> unavailableBecause() {
        return unavailability().map(FutureFailures::rootMessage);
    }

    /** The transports that run here, cheapest first; NIO always among them. */
    public static List<Transport> available() {
        return Arrays.stream(values()).filter(Transport::isAvailable).toList();
    }

    /** The first transport that runs here, in the enum's order: NIO at the latest. */
    public static Transport best() {
        return available().getFirst();
    }

    /** The transport of a group's event loops; NIO for any group this enum does not know. */
    public static Transport of(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            for (Transport transport : values()) {
                if (io.isIoType(transport.handlerType)) {
                    return transport;
                }
            }
        }
        return NIO;
    }

    /** A factory for event loops of this kind; Netty's own error if the transport is not available here. */
    public IoHandlerFactory ioHandlerFactory() {
        return factory.get();
    }

    public Class<? extends ServerSocketChannel> serverChannelType() {
        return serverChannel;
    }

    public Class<? extends SocketChannel> socketChannelType() {
        return socketChannel;
    }
}
