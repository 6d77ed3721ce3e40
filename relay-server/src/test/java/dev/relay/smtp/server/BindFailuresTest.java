package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Bind failures in words, from the transports' own messages and from a real taken port. */
class BindFailuresTest {

    @Test
    void nettysEpollWordingBecomesWords() {
        assertThat(BindFailures.describe(new IOException("bind(..) failed with error(-98): Address already in use")))
                .isEqualTo("the port is already in use (another program listens on it)");
        assertThat(BindFailures.describe(new IOException("bind(..) failed with error(-99): Cannot assign requested address")))
                .isEqualTo("that address is not one of this machine's");
        assertThat(BindFailures.describe(new IOException("bind(..) failed with error(-13): Permission denied")))
                .startsWith("permission denied");
        assertThat(BindFailures.describe(new IOException("bind(..) failed with error(-22): Invalid argument")))
                .isEqualTo("Invalid argument");
        assertThat(BindFailures.describe(null)).isEqualTo("the operating system refused");
    }

    @Test
    void aRealTakenPortIsRecognised() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket second = new ServerSocket()) {
            BindException refused = null;
            try {
                second.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort()));
            } catch (BindException e) {
                refused = e;
            }
            assertThat(refused).isNotNull();
            assertThat(BindFailures.describe(refused)).startsWith("the port is already in use");
        }
    }
}
