package dev.relay.it.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The image as a smarthost: built from docker/Dockerfile, started next to a receiving MX
 * (Mailpit) on one Docker network, sent mail over submission with STARTTLS and AUTH, and
 * checked at the MX, at /metrics, and at docker stop.
 *
 * <p>Needs a Docker engine: tagged {@code docker} (excluded from the default surefire run; run
 * with {@code -Dsurefire.excludedGroups= -Dtest=DockerImageTest}) and skipped without Docker.
 * The recipient is an address literal of the MX container, so no DNS is involved and nothing
 * can leave the test network: the relay's resolver is pointed where nothing listens.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerImageTest {

    private static final int MAILPIT_SMTP = 1025;
    private static final int MAILPIT_API = 8025;
    private static final int SUBMISSION = 587;
    private static final int ADMIN = 9464;
    private static final String RELAY_UID = "10025";

    private static final ContainerMounts MOUNTS = ContainerMounts.create("relay.test", "localhost");
    private static final Network NETWORK = Network.newNetwork();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Container
    static final GenericContainer<?> MX = new GenericContainer<>(DockerImageName.parse("axllent/mailpit:v1.29.5"))
            .withNetwork(NETWORK)
            .withNetworkAliases("mx")
            .withExposedPorts(MAILPIT_SMTP, MAILPIT_API)
            .waitingFor(Wait.forHttp("/api/v1/messages").forPort(MAILPIT_API));

    @Container
    static final GenericContainer<?> RELAY = new GenericContainer<>(RelayImage.get())
            .withNetwork(NETWORK)
            .withNetworkAliases("relay")
            .withExposedPorts(25, SUBMISSION, 465, ADMIN)
            .withEnv("RELAY_HOSTNAME", "relay.test")
            .withEnv("RELAY_ADMIN_TOKEN", MOUNTS.adminToken())
            .withEnv("RELAY_DELIVERY_PORT", String.valueOf(MAILPIT_SMTP))
            .withEnv("RELAY_DELIVERY_DNS_SERVERS", "127.0.0.1:53")
            // the MX has no name here: mail goes to an address literal, which the relay takes only when asked
            .withEnv("RELAY_LIMITS_ADDRESS_LITERAL_RECIPIENTS", "true")
            // an operator would chown the key to uid 10025 instead of making it world-readable
            .withCopyToContainer(Transferable.of(MOUNTS.certificatePem(), 0644), "/etc/relay/tls/cert.pem")
            .withCopyToContainer(Transferable.of(MOUNTS.keyPem(), 0644), "/etc/relay/tls/key.pem")
            .withCopyToContainer(Transferable.of(MOUNTS.usersFile(), 0644), "/etc/relay/users")
            .dependsOn(MX)
            // the image's own HEALTHCHECK decides when the relay is up
            .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(3)));

    @Test
    @Order(1)
    void runsJavaAsPid1UnderTheUnprivilegedUserAndReportsHealthy() throws Exception {
        InspectContainerResponse info = RELAY.getCurrentContainerInfo();
        assertThat(info.getState().getHealth().getStatus()).isEqualTo("healthy");
        String status = RELAY.execInContainer("cat", "/proc/1/status").getStdout();
        assertThat(status).containsPattern("(?m)^Name:\\s+java$").containsPattern("(?m)^Uid:\\s+" + RELAY_UID + "\\s");
    }

    @Test
    @Order(2)
    void relaysAuthenticatedSubmissionToTheMxAndCountsIt() throws Exception {
        String mxAddress = addressOnTestNetwork(MX);
        String recipient = "bob@[" + mxAddress + "]";
        send(recipient, "through the container");

        JsonNode message = await("the message at the MX", () -> {
            JsonNode list = getJson(MX, MAILPIT_API, "/api/v1/messages", Optional.empty());
            return list.path("total").asInt() > 0 ? Optional.of(list.path("messages").path(0)) : Optional.empty();
        });
        assertThat(message.path("Subject").asText()).isEqualTo("through the container");
        assertThat(message.path("To").path(0).path("Address").asText()).startsWith("bob@").contains(mxAddress);
        String raw = get(MX, MAILPIT_API, "/api/v1/message/" + message.path("ID").asText() + "/raw", Optional.empty()).body();
        assertThat(raw).contains("by relay.test").contains("Hello from the Docker test");

        assertThat(get(RELAY, ADMIN, RunningRelayTest.METRICS_PATH, Optional.empty()).statusCode()).isEqualTo(401);
        PrometheusText metrics = await("the delivery in /metrics", () -> {
            PrometheusText scrape = PrometheusText.parse(get(RELAY, ADMIN, RunningRelayTest.METRICS_PATH,
                    Optional.of(MOUNTS.adminToken())).body());
            return scrape.value("relay_deliveries_total", Map.of("outcome", "delivered")).filter(v -> v >= 1)
                    .map(v -> scrape);
        });
        assertThat(metrics.value("relay_deliveries_total", Map.of("outcome", "delivered"))).contains(1.0);
        assertThat(metrics.value("relay_messages_accepted_total", Map.of())).as("accepted over all listeners").contains(1.0);
    }

    @Test
    @Order(3)
    void dockerStopEndsTheRelayGracefully() {
        RELAY.getDockerClient().stopContainerCmd(RELAY.getContainerId()).withTimeout(40).exec();
        InspectContainerResponse stopped = RELAY.getDockerClient().inspectContainerCmd(RELAY.getContainerId()).exec();
        assertThat(stopped.getState().getExitCodeLong()).as("exit code after SIGTERM").isZero();
        assertThat(RELAY.getLogs()).contains("relay stopped");
    }

    private static void send(String recipient, String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.localhost", "client.test");
        props.put("mail.smtp.connectiontimeout", "20000");
        props.put("mail.smtp.timeout", "20000");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.ssl.socketFactory", MOUNTS.clientTls().getSocketFactory());
        // the trust is our test CA; the host name the mapped port is reached by varies with the Docker setup
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("alice@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
        message.setSubject(subject);
        message.setText("Hello from the Docker test\n");
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(RELAY.getHost(), RELAY.getMappedPort(SUBMISSION), MOUNTS.user(), MOUNTS.password());
            transport.sendMessage(message, message.getAllRecipients());
        }
    }

    private static String addressOnTestNetwork(GenericContainer<?> container) {
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                .filter(n -> NETWORK.getId().equals(n.getNetworkID())).map(ContainerNetwork::getIpAddress)
                .findFirst().orElseThrow(() -> new AssertionError("the container is not on the test network"));
    }

    private static HttpResponse<String> get(GenericContainer<?> container, int port, String path, Optional<String> token)
            throws Exception {
        URI uri = URI.create("http://" + container.getHost() + ":" + container.getMappedPort(port) + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/plain; version=0.0.4, application/json");
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode getJson(GenericContainer<?> container, int port, String path, Optional<String> token) throws Exception {
        HttpResponse<String> response = get(container, port, path, token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    /** Polls until the check returns a value; delivery runs on the relay's schedule, not ours. */
    private static <T> T await(String what, Callable<Optional<T>> check) {
        try {
            return Awaitility.await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(check, Optional::isPresent).orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " did not appear within 90 s; relay log:\n" + RELAY.getLogs(), e);
        }
    }
}
