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
import org.junit.jupiter.params.provider.MethodSource;

/** Which transports run here, which one {@code auto} takes, and the labels an operator writes. */
class TransportTest {

    static List<Transport> available() {
        return Transport.available();
    }

    @Test
    void nioRunsEverywhere() {
        assertThat(Transport.NIO.isAvailable()).isTrue();
        assertThat(Transport.NIO.unavailableBecause()).isEmpty();
        assertThat(Transport.available()).contains(Transport.NIO);
    }

    @Test
    void theAvailableAreListedCheapestFirstAndAutoTakesTheFirst() {
        List<Transport> available = Transport.available();

        assertThat(available).isSortedAccordingTo(java.util.Comparator.comparingInt(Transport::ordinal));
        assertThat(Transport.best()).isEqualTo(available.getFirst());
        assertThat(NetworkIo.AUTO.transport()).isEqualTo(available.getFirst());
        for (Transport transport : Transport.values()) {
            assertThat(transport.unavailableBecause().isEmpty()).as(transport.label())
                    .isEqualTo(available.contains(transport));
        }
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

    @Test
    void labelsAreAsWrittenInTheConfiguration() {
        assertThat(Arrays.stream(NetworkIo.values()).map(NetworkIo::label)).containsExactly("auto", "io-uring", "epoll", "nio");
        for (NetworkIo io : NetworkIo.values()) {
            assertThat(NetworkIo.fromLabel(io.label())).contains(io);
        }
        assertThat(NetworkIo.fromLabel("io_uring")).isEmpty();
    }
}
