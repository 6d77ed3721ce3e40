package dev.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.testkit.CapturedLogs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit codes, and one clear line for every user error. */
class CommandLineTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedLogs logs = CapturedLogs.root();

    private static void assertOneLineUserError(CommandRun result, String... fragments) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        String err = result.err().strip();
        assertThat(err.lines().count()).as("one line: %s", err).isEqualTo(1);
        assertThat(err).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(err).contains(fragments);
    }

    private Path config(String yaml) throws IOException {
        Path file = dir.resolve("relay.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void configCheckPrintsTheEffectiveConfiguration() throws IOException {
        Path file = config("""
                hostname: relay.example.net
                spool:
                  directory: %s
                admin:
                  token: s3cret-token
                """.formatted(dir.resolve("spool")));
        CommandRun result = CommandRun.of("config", "check", "--config", file.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains(file + ": valid").contains("hostname: relay.example.net")
                .contains("max-recipients: 1000").doesNotContain("s3cret-token")
                .contains("# network.io is auto: " + dev.relay.network.Transport.best().label() + " on this system");
    }

    @Test
    void missingConfigFileIsOneLineAndExitTwo() {
        Path missing = dir.resolve("nope.yaml");
        assertOneLineUserError(CommandRun.of("config", "check", "--config", missing.toString()), missing.toString());
    }

    @Test
    void unknownKeyNamesTheKeyPath() throws IOException {
        Path file = config("limits:\n  max-recipient: 5\n");
        assertOneLineUserError(CommandRun.of("config", "check", "--config", file.toString()), "limits.max-recipient");
    }

    @Test
    void badValueNamesTheKeyPath() throws IOException {
        Path file = config("listeners:\n  - address: 127.0.0.1:2525\n    starttls: maybe\n");
        assertOneLineUserError(CommandRun.of("config", "check", "--config", file.toString()), "listeners[0].starttls");
    }

    @Test
    void unreadableCertificateContentIsAUserError() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key\n");
        Path file = config("tls:\n  certificate: %s\n  key: %s\n".formatted(cert, key));
        assertOneLineUserError(CommandRun.of("config", "check", "--config", file.toString()), "tls.");
    }

    @Test
    void portInUseNamesTheListenersKeyAndStopsBeforeDeliveryStarts() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = config("""
                    listeners:
                      - address: 127.0.0.1:%d
                        starttls: off
                        auth: off
                      - address: 127.0.0.1:%d
                        starttls: off
                        auth: off
                    """.formatted(freePortAfterClosing(free), taken.getLocalPort()) + spoolAndDeadDns());
            CommandRun result = CommandRun.of("run", "--config", file.toString());
            assertOneLineUserError(result, "listeners[1].address", "127.0.0.1:" + taken.getLocalPort(),
                    "the port is already in use");
            assertThat(result.err()).doesNotContain("bind(").doesNotContain("error(").doesNotContain("listeners[0]");
            assertThat(logs.messages())
                    .noneMatch(line -> line.startsWith("delivery started"))
                    .noneMatch(line -> line.contains(" started: SMTP on"));
        }
    }

    @Test
    void configCheckWarnsAboutATakenPortByItsKey() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int freePort = freePortAfterClosing(free);
            Path file = config("""
                    listeners:
                      - address: 127.0.0.1:%d
                      - address: 127.0.0.1:%d
                    spool:
                      directory: %s
                    """.formatted(freePort, taken.getLocalPort(), dir.resolve("spool")));
            CommandRun result = CommandRun.of("config", "check", "--config", file.toString());
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("# warning: listeners[1].address: 127.0.0.1:" + taken.getLocalPort()
                    + " is in use now").doesNotContain("listeners[0].address: 127.0.0.1:" + freePort + " is in use");
        }
    }

    /** The spool in the test's directory, and delivery asking a DNS server where nothing listens: no mail leaves. */
    private String spoolAndDeadDns() {
        return """
                spool:
                  directory: %s
                delivery:
                  dns:
                    servers: [127.0.0.1:9]
                """.formatted(dir.resolve("spool"));
    }

    /** A port that was free a moment ago (the socket is closed here, the relay binds it next). */
    private static int freePortAfterClosing(ServerSocket socket) throws IOException {
        int port = socket.getLocalPort();
        socket.close();
        return port;
    }

    @Test
    void configCheckNamesTheSystemResolversWhenNoneAreConfigured() throws IOException {
        Path file = config("spool:\n  directory: %s\n".formatted(dir.resolve("spool")));
        CommandRun result = CommandRun.of("config", "check", "--config", file.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        // what the system names: dnsjava reads /etc/resolv.conf on Linux
        List<String> nameservers = Files.exists(Path.of("/etc/resolv.conf"))
                ? Files.readAllLines(Path.of("/etc/resolv.conf")).stream().map(String::strip)
                        .filter(line -> line.startsWith("nameserver ")).map(line -> line.substring(11).strip()).toList()
                : List.of();
        if (nameservers.isEmpty()) {
            assertThat(result.out()).contains("# warning: delivery.dns.servers is empty and the system names no resolvers");
        } else {
            String used = result.out().lines().filter(l -> l.startsWith("# delivery.dns.servers is empty: the system's resolvers are used: "))
                    .findFirst().orElseThrow(() -> new AssertionError("no resolver line in\n" + result.out()));
            for (String nameserver : nameservers) {
                assertThat(used).contains(nameserver.contains(":") ? "[" + nameserver + "]:53" : nameserver + ":53");
            }
        }

        Path pinned = config("spool:\n  directory: %s\ndelivery:\n  dns:\n    servers: [127.0.0.1:5353]\n"
                .formatted(dir.resolve("spool")));
        CommandRun configured = CommandRun.of("config", "check", "--config", pinned.toString());
        assertThat(configured.out()).contains("- 127.0.0.1:5353").doesNotContain("system's resolvers");
    }

    @Test
    void adminPortInUseIsOneLineAndExitTwo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = config("""
                    listeners:
                      - address: 127.0.0.1:0
                        starttls: off
                        auth: off
                    admin:
                      address: 127.0.0.1:%d
                    """.formatted(taken.getLocalPort()) + spoolAndDeadDns());
            assertOneLineUserError(CommandRun.of("run", "--config", file.toString()),
                    "admin.address", "127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void aNonLoopbackAdminAddressWithoutATokenIsRefused() throws IOException {
        Path file = config("""
                spool:
                  directory: %s
                admin:
                  address: 0.0.0.0:0
                """.formatted(dir.resolve("spool")));
        assertOneLineUserError(CommandRun.of("run", "--config", file.toString()), "admin.address", "admin.token");
        assertOneLineUserError(CommandRun.of("config", "check", "--config", file.toString()), "admin.address", "admin.token");
    }

    @Test
    void noCommandIsAUsageError() {
        CommandRun result = CommandRun.of();
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("run");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CommandRun result = CommandRun.of("config", "check", "--no-such-option");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--no-such-option");
    }

    @Test
    void usersHashPrintsALineTheUsersFileAccepts() throws IOException {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("correct horse\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            CommandRun result = CommandRun.of("users", "hash", "alice", "--scheme", "pbkdf2-sha256");
            assertThat(result.exitCode()).as(result.err()).isZero();
            String line = result.out().strip();
            assertThat(line).startsWith("alice:$pbkdf2-sha256$").doesNotContain("correct horse");
            Path users = Files.writeString(dir.resolve("users"), line + "\n");
            var authenticator = dev.relay.auth.UsersFile.load(users);
            assertThat(authenticator.authenticate("alice", "correct horse".toCharArray())).contains("alice");
            assertThat(authenticator.authenticate("alice", "wrong".toCharArray())).isEmpty();
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void usersHashRejectsAnUnknownScheme() {
        assertOneLineUserError(CommandRun.of("users", "hash", "alice", "--scheme", "md5"), "--scheme", "md5");
    }
}
