package dev.relay.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Starting on the transport {@code network.io} asks for, and falling back when {@code auto}'s first choice does not start. */
class NetworkIoTest {

    private final List<String> fellBack = new ArrayList<>();

    private void note(Transport transport, String reason) {
        fellBack.add(transport.label() + ": " + reason);
    }

    @Test
    void autoStartsOnTheBestTransportWhenItStarts() {
        Transport started = NetworkIo.AUTO.start(transport -> transport, this::note);

        assertThat(started).isEqualTo(Transport.best());
        assertThat(fellBack).isEmpty();
    }

    @Test
    void autoMovesOnToTheNextTransportWhenOneDoesNotStartAndSaysWhy() {
        List<Transport> available = Transport.available();
        assumeTrue(available.size() >= 2, "a fallback needs two transports that run here");

        Transport started = NetworkIo.AUTO.start(transport -> {
            if (transport == available.getFirst()) {
                throw new IllegalStateException("ring setup", new RuntimeException("Cannot allocate memory"));
            }
            return transport;
        }, this::note);

        assertThat(started).isEqualTo(available.get(1));
        assertThat(fellBack).containsExactly(available.getFirst().label() + ": Cannot allocate memory");
    }

    @Test
    void autoGivesUpWithTheLastReasonWhenNoTransportStarts() {
        List<Transport> available = Transport.available();

        assertThatThrownBy(() -> NetworkIo.AUTO.start(transport -> {
            throw new UnsatisfiedLinkError("no " + transport.label() + " here");
        }, this::note))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("network I/O could not start on nio: no nio here");
        assertThat(fellBack).hasSize(available.size() - 1);
    }

    @Test
    void aNamedTransportThatDoesNotStartGetsNoSecondTry() {
        assertThatThrownBy(() -> NetworkIo.NIO.start(transport -> {
            throw new IllegalStateException("Too many open files");
        }, this::note))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("network.io is nio, which this system does not allow (Too many open files); "
                        + "set it to auto to use the best available");
        assertThat(fellBack).isEmpty();
    }

    @Test
    void aNamedTransportThatStartsIsTheOneUsed() {
        for (Transport transport : Transport.available()) {
            NetworkIo io = NetworkIo.fromLabel(transport.label()).orElseThrow();

            Transport started = io.start(candidate -> candidate, this::note);

            assertThat(started).isEqualTo(transport);
        }
        assertThat(fellBack).isEmpty();
    }
}
