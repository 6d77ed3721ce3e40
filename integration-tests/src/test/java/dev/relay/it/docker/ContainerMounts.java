package dev.relay.it.docker;

import dev.relay.auth.PasswordHasher;
import dev.relay.tls.testkit.TestCertificates;
import dev.relay.tls.testkit.TestCertificates.KeyFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * What an operator mounts into the container (docker/relay.yaml names them): the relay's
 * certificate and key, and the users file; plus the admin token the container config needs
 * from the environment. Made up fresh for each test.
 */
record ContainerMounts(String certificatePem, String keyPem, String usersFile, String user, String password,
        String adminToken, SSLContext clientTls) {

    static ContainerMounts create(String... certificateNames) {
        TestCertificates.Authority ca = TestCertificates.newAuthority("Relay Docker Test CA");
        TestCertificates.Issued leaf = ca.issue(certificateNames);
        String password = "docker test password";
        // few iterations: the hash is checked once per AUTH, and these tests want speed, not strength
        String users = "alice:" + PasswordHasher.pbkdf2Sha256(10_000).hash(password.toCharArray()) + "\n";
        return new ContainerMounts(leaf.chainPem(), leaf.keyPem(KeyFormat.PKCS8), users, "alice", password,
                "docker-test-admin-token", ca.clientContext());
    }

    /**
     * Writes the files into a directory and returns the {@code RELAY_*} variables that point the
     * container config at them instead of at /etc/relay, plus the admin token.
     */
    Map<String, String> writeForHost(Path directory) {
        try {
            Path cert = Files.writeString(directory.resolve("cert.pem"), certificatePem);
            Path key = Files.writeString(directory.resolve("key.pem"), keyPem);
            Path users = Files.writeString(directory.resolve("users"), usersFile);
            return Map.of(
                    "RELAY_TLS_CERTIFICATE", cert.toString(),
                    "RELAY_TLS_KEY", key.toString(),
                    "RELAY_USERS_FILE", users.toString(),
                    "RELAY_ADMIN_TOKEN", adminToken);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
