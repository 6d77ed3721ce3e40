package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relay.admin.testkit.AdminHttp;
import dev.relay.config.RelayConfig;
import dev.relay.smtp.testkit.SmtpTestClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin server as part of the running relay: bound last, ready while running, not ready while draining. */
class RelayAdminTest {

    @TempDir
    Path dir;

    @Test
    void healthIsLiveAndReadyOnceStartedAndReadyGoesFirstAtStop() throws Exception {
        RelayApplication relay = RelayApplication.start(config("127.0.0.1:0"));
        Thread stopper = null;
        try {
            AdminHttp http = new AdminHttp(relay.adminAddress());
            assertThat(relay.adminAddress().getAddress().isLoopbackAddress()).isTrue();
            assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
            assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);

            // a session inside a transaction holds the stop in its grace period
            try (SmtpTestClient smtp = SmtpTestClient.greeted(relay.smtpAddresses().getFirst())) {
                smtp.command("HELO client.test", 250);
                smtp.command("MAIL FROM:<a@origin.test>", 250);

                stopper = Thread.ofPlatform().start(relay::stop);
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                        assertThat(http.get("/health/ready").statusCode()).as("ready while draining").isEqualTo(503));
                assertThat(stopper.isAlive()).as("the relay is still draining").isTrue();
                assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
                assertThat(relay.ready()).isFalse();
            }
            stopper.join(30_000);
            assertThat(stopper.isAlive()).isFalse();
            InetSocketAddress admin = relay.adminAddress();
            assertThatThrownBy(() -> new Socket(admin.getAddress(), admin.getPort()).close())
                    .as("the admin port is closed after stop").isInstanceOf(java.io.IOException.class);
        } finally {
            relay.stop();
            if (stopper != null) {
                stopper.join(30_000);
            }
        }
    }

    @Test
    void aTakenAdminPortStopsTheStartWithOneLineAndReleasesTheListeners() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            assertThatThrownBy(() -> RelayApplication.start(config(address)))
                    .isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("admin.address: cannot listen on " + address + ": ")
                    .hasMessageNotContaining("\n");
        }
        // the spool was closed again: a second start on the same directory works
        RelayApplication again = RelayApplication.start(config("127.0.0.1:0"));
        again.stop();
    }

    private RelayConfig config(String adminAddress) throws Exception {
        return TestRelayConfig.in(dir).admin(adminAddress).shutdownGrace("20s").load();
    }

}
