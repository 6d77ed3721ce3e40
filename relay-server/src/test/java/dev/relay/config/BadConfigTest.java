package dev.relay.config;

import dev.relay.settings.ConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every user error is one line that starts with the key path it is about. */
class BadConfigTest {

    private static final String TLS = "tls: {certificate: DIR/cert.pem, key: DIR/key.pem}\n";
    private static final String USERS = "users-file: DIR/users\n";

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        PlaceholderFiles.create(dir, "cert.pem", "key.pem", "users");
        Files.writeString(dir.resolve("no-anchors"), "example.test. 300 IN A 192.0.2.1\n");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                bad("hostnme: relay.example.net", "hostnme", "unknown key (did you mean hostname?)"),
                bad("hostname: \"bad host\"", "hostname", "expected a host name like relay.example.net, got \"bad host\""),
                bad("hostname: [a]", "hostname", "expected text, got a list"),
                bad("limits: {max-recipient: 5}", "limits.max-recipient", "unknown key (did you mean max-recipients?)"),
                bad("limits: 5", "limits", "expected a mapping of keys to values, got 5"),
                bad("limits: {max-message-size: 50XB}", "limits.max-message-size", "unknown size unit \"XB\""),
                bad("limits: {max-message-size: 0}", "limits.max-message-size", "must be at least 1, got 0"),
                bad("limits: {max-recipients: 0}", "limits.max-recipients", "expected a whole number from 1 to 2147483647, got 0"),
                bad("limits: {max-recipients: 1.5}", "limits.max-recipients", "expected a whole number, got 1.5"),
                bad("limits: {max-recipients: [1]}", "limits.max-recipients", "expected a whole number, got a list"),
                bad("limits: {max-connections: 99999999999}", "limits.max-connections", "from 1 to 2147483647"),
                bad("limits: {command-timeout: 5}", "limits.command-timeout", "expected a duration like 500ms, 30s, 5m, 1h or 5d, got 5"),
                bad("limits: {data-timeout: 0s}", "limits.data-timeout", "must be longer than zero"),
                bad("limits: {max-errors: -1}", "limits.max-errors", "got -1"),
                bad("listeners: [{address: \"0.0.0.0:25\", starttls: maybe}]", "listeners[0].starttls",
                        "expected one of off, optional, required, got \"maybe\""),
                bad("listeners: [{address: \"127.0.0.1:2525\"}, {address: \"127.0.0.1:2526\", starttls: maybe}]",
                        "listeners[1].starttls", "expected one of off, optional, required, got \"maybe\""),
                bad("listeners: [{address: \"127.0.0.1:2525\", auth: yes}]", "listeners[0].auth",
                        "expected one of off, optional, required, got \"yes\""),
                bad("listeners: [{address: \"127.0.0.1:2525\", startls: required}]", "listeners[0].startls",
                        "unknown key (did you mean starttls?)"),
                bad("listeners: [{starttls: off}]", "listeners[0].address", "required"),
                bad("listeners: [{address: nohost}]", "listeners[0].address",
                        "expected host:port, like 127.0.0.1:2525 or [::1]:2525, got \"nohost\""),
                bad("listeners: [{address: \"127.0.0.1:70000\"}]", "listeners[0].address", "expected host:port"),
                bad("listeners: [{address: \"bad_name:25\"}]", "listeners[0].address", "neither an IP address nor a valid host name"),
                bad("listeners: []", "listeners", "at least one listener is needed"),
                bad("listeners: {address: \"127.0.0.1:25\"}", "listeners", "expected a list (like [a, b]), got a mapping"),
                bad("listeners: [\"127.0.0.1:25\"]", "listeners[0]", "expected a mapping of keys to values, got \"127.0.0.1:25\""),
                bad("listeners: [{address: \"127.0.0.1:2525\", implicit-tls: yes}]", "listeners[0].implicit-tls",
                        "expected true or false, got \"yes\""),
                bad("listeners: [{address: \"0.0.0.0:25\"}, {address: \"0.0.0.0:25\"}]", "listeners[1].address",
                        "0.0.0.0:25 is also the address of listeners[0]"),
                bad("listeners: [{address: \"[::1]:25\"}, {address: \"[0:0::1]:25\"}]", "listeners[1].address",
                        "also the address of listeners[0]"),
                bad("listeners: [{address: \"127.0.0.1:587\", starttls: required}]", "listeners[0].starttls",
                        "required needs tls.certificate and tls.key"),
                bad("listeners: [{address: \"127.0.0.1:465\", implicit-tls: true}]", "listeners[0].implicit-tls",
                        "true needs tls.certificate and tls.key"),
                bad(TLS + "listeners: [{address: \"127.0.0.1:465\", implicit-tls: true, starttls: required}]",
                        "listeners[0].starttls", "must be off when implicit-tls is true"),
                bad(TLS + "listeners: [{address: \"127.0.0.1:587\", starttls: required, auth: required}]",
                        "listeners[0].auth", "required needs users-file"),
                bad(TLS + USERS + "listeners: [{address: \"127.0.0.1:25\", starttls: off, auth: required}]",
                        "listeners[0].auth", "required needs TLS on this listener"),
                bad("relay-networks: [10.0.0.0/33]", "relay-networks[0]", "prefix length 33 is longer than the 32 bits of IPv4"),
                bad("relay-networks: [127.0.0.0/8, example.com]", "relay-networks[1]", "\"example.com\" is not an IP address"),
                bad("relay-networks: [10.1.0.0/8]", "relay-networks[0]", "did you mean 10.0.0.0/8?"),
                bad("relay-networks: 127.0.0.0/8", "relay-networks", "expected a list (like [a, b]), got \"127.0.0.0/8\""),
                bad("users-file: DIR/nobody", "users-file", "DIR/nobody: no such file"),
                bad("users-file: DIR", "users-file", "DIR: is a directory, expected a file"),
                bad("tls: {certificate: DIR/cert.pem}", "tls.key", "required when tls.certificate is set"),
                bad("tls: {key: DIR/key.pem}", "tls.certificate", "required when tls.key is set"),
                bad("tls: {certificate: DIR/none.pem, key: DIR/key.pem}", "tls.certificate", "DIR/none.pem: no such file"),
                bad("tls: {certificate: DIR/cert.pem, key: DIR/none.pem}", "tls.key", "DIR/none.pem: no such file"),
                bad("tls: {certificate: DIR/cert.pem, key: DIR/key.pem, chain: x}", "tls.chain", "unknown key"),
                bad("spool: {min-free-space: -1}", "spool.min-free-space", "got -1"),
                bad("spool: {max-messages: lots}", "spool.max-messages", "expected a whole number, got \"lots\""),
                bad("spool: {directory: DIR/cert.pem}", "spool.directory", "exists and is not a directory"),
                bad("spool: {directory: \"\"}", "spool.directory", "must not be empty"),
                bad("queue: {retry-schedule: []}", "queue.retry-schedule", "at least one step is needed"),
                bad("queue: {retry-schedule: [1m, 5x]}", "queue.retry-schedule[1]", "got \"5x\""),
                bad("queue: {retry-schedule: 1m}", "queue.retry-schedule", "expected a list"),
                bad("queue: {max-lifetime: forever}", "queue.max-lifetime", "got \"forever\""),
                bad("queue: {delay-warning-after: 6d}", "queue.delay-warning-after", "6d is not shorter than queue.max-lifetime (5d)"),
                bad("queue: {delay-warning-after: never}", "queue.delay-warning-after", "or off, got \"never\""),
                bad("delivery: {port: 0}", "delivery.port", "expected a whole number from 1 to 65535, got 0"),
                bad("delivery: {max-connections-per-domain: 0}", "delivery.max-connections-per-domain", "got 0"),
                bad("delivery: {dns: {servers: [dns.google]}}", "delivery.dns.servers[0]", "expected an IP address"),
                bad("delivery: {dns: {server: []}}", "delivery.dns.server", "unknown key (did you mean servers?)"),
                bad("delivery: {tls: {extra-trust: DIR/ca.pem}}", "delivery.tls.extra-trust", "DIR/ca.pem: no such file"),
                bad("network: {io: kqueue}", "network.io", "expected one of auto, io-uring, epoll, nio, got \"kqueue\""),
                bad("network: {transport: epoll}", "network.transport", "unknown key"),
                bad("delivery: {dns: {dnssec: yes}}", "delivery.dns.dnssec", "expected one of validate, trust-ad, off, got \"yes\""),
                bad("delivery: {dns: {trust-anchors: DIR/anchors}}", "delivery.dns.trust-anchors", "DIR/anchors: no such file"),
                bad("delivery: {dns: {trust-anchors: DIR/no-anchors}}", "delivery.dns.trust-anchors",
                        "hold no DS or DNSKEY record, so nothing could ever be validated"),
                bad("delivery: {dns: {trust-anchors: DIR/cert.pem}}", "delivery.dns.trust-anchors", "are not zone-file records"),
                bad("delivery: {tls: DIR/ca.pem}", "delivery.tls", "expected a mapping of keys to values"),
                bad("mta-sts: {enabled: yes}", "mta-sts.enabled", "expected true or false, got \"yes\""),
                bad("mta-sts: {enabled: 1}", "mta-sts.enabled", "expected true or false, got 1"),
                bad("mta-sts: {https-port: 65536}", "mta-sts.https-port", "from 1 to 65535, got 65536"),
                bad("mta_sts: {enabled: true}", "mta_sts", "unknown key (did you mean mta-sts?)"),
                bad("admin: {address: localhost}", "admin.address", "expected host:port"),
                bad("admin: {adress: \"127.0.0.1:1\"}", "admin.adress", "unknown key (did you mean address?)"),
                bad("admin: {address: \"0.0.0.0:9464\"}", "admin.address",
                        "0.0.0.0:9464 is not a loopback address and admin.token is not set"),
                bad("tls-rpt: {enabled: maybe}", "tls-rpt.enabled", "maybe"),
                bad("tls-rpt: {send-by-hour: 0}", "tls-rpt.send-by-hour", "from 1 to 23, got 0"),
                bad("tls-rpt: {send-by-hour: 24}", "tls-rpt.send-by-hour", "from 1 to 23, got 24"),
                bad("tls-rpt: {report-sender: reports}", "tls-rpt.report-sender", "expected a mail address like tls-reports@example.org"),
                bad("tls-rpt: {report-sender: \"a@b@example.org\"}", "tls-rpt.report-sender", "expected a mail address"),
                bad("tls-rpt: {report-sender: \"<a@example.org>\"}", "tls-rpt.report-sender", "expected a mail address"),
                bad("tls-rpt: {submitter: \"example .org\"}", "tls-rpt.submitter", "expected a domain like example.org"),
                bad("tls-rpt: {organization-name: \"  \"}", "tls-rpt.organization-name", ""),
                bad("tls-rpt: {sendbyhour: 3}", "tls-rpt.sendbyhour", "unknown key"),
                bad("hostname: localhost\ntls-rpt: {enabled: true}", "tls-rpt.report-sender",
                        "postmaster@localhost cannot receive replies"),
                bad("hostname: localhost\ntls-rpt: {enabled: true, report-sender: tls@example.org}", "tls-rpt.submitter",
                        "localhost does not name your organisation"),
                bad("shutdown-grace: soon", "shutdown-grace", "got \"soon\""));
    }

    private static Arguments bad(String yaml, String keyPath, String detail) {
        return Arguments.of(yaml, keyPath, detail);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void eachBadValueIsOneLineNamingItsKey(String yaml, String keyPath, String detail) {
        String text = yaml.replace("DIR", dir.toString());
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(Map.of(), () -> "localhost").loadYaml(text, "bad.yaml"));

        assertThat(e).as("no error for %s", text).isNotNull();
        assertThat(e.keyPath()).contains(keyPath);
        assertThat(e.getMessage()).startsWith(keyPath + ": ");
        assertThat(e.getMessage()).contains(detail.replace("DIR", dir.toString()));
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void aBadTokenIsNeverEchoed() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(Map.of()).loadYaml("admin: {token: \"two words\"}", "t"));
        assertThat(e.getMessage()).isEqualTo("admin.token: must be printable characters without spaces");
    }
}
