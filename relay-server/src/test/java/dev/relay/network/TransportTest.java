package dev.relay.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Which transports run here, which one {@code auto} takes, and the labels an operator writes. */
class TransportTest {

    /** The transports this machine runs: NIO everywhere, the native ones where the kernel lets them. */
    static List<Transport> available() {
        return Arrays.stream(Transport.values()).filter(Transport::isAvailable).toList();
    }

    @Test
    void nioRunsEverywhere() {
        assertThat(Transport.NIO.isAvailable()).isTrue();
        assertThat(Transport.NIO.unavailableBecause()).isEmpty();
    }

    @Test
    void bestIsTheFirstAvailableInOrderOfCost() {
        Transport best = Transport.best();

        assertThat(best.isAvailable()).isTrue();
        for (Transport cheaper : Arrays.copyOfRange(Transport.values(), 0, best.ordinal())) {
            assertThat(cheaper.unavailableBecause()).as(cheaper + " was skipped, so it must say why").isPresent();
        }
        assertThat(NetworkIo.AUTO.transport()).isEqualTo(best);
    }

    @Test
    void aTransportThatCannotRunSaysWhyInWordsNotAClassName() {
        for (Transport transport : Transport.values()) {
            transport.unavailableBecause().ifPresent(reason -> assertThat(reason).isNotBlank().doesNotContain("Exception"));
        }
    }

    @ParameterizedTest
    @MethodSource("available")
    void aNamedTransportThatRunsHereIsTheOneUsed(Transport transport) {
        NetworkIo io = NetworkIo.fromLabel(transport.label()).orElseThrow();

        assertThat(io.transport()).isEqualTo(transport);
    }

    @ParameterizedTest
    @MethodSource("available")
    void aGroupIsRecognisedByItsEventLoops(Transport transport) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("transport-test", true),
                transport.ioHandlerFactory());
        try {
            assertThat(Transport.of(group)).isEqualTo(transport);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGroupOfNoKnownKindGetsNioSockets() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try {
            assertThat(Transport.of(group)).isEqualTo(Transport.NIO);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(NetworkIo.class)
    void labelsAreAsWrittenInTheConfiguration(NetworkIo io) {
        assertThat(NetworkIo.fromLabel(io.label())).contains(io);
        assertThat(Arrays.stream(NetworkIo.values()).map(NetworkIo::label)).containsExactly("auto", "io-uring", "epoll", "nio");
    }
}
