package dev.relay.config;

import dev.relay.settings.HostPort;
import dev.relay.settings.ConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.relay.smtp.server.ListenerConfig;
import dev.relay.smtp.server.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvOverrideTest {

    private static RelayConfig load(String yaml, Map<String, String> env) {
        return new ConfigLoader(env, () -> "localhost").loadYaml(yaml, "t.yaml").config();
    }

    @Test
    void scalarsAndListsOverrideTheFile() {
        RelayConfig c = load("""
                spool: {directory: /from/file}
                mta-sts: {enabled: true}
                """, Map.of(
                        "RELAY_DELIVERY_DNS_SERVERS", "127.0.0.1:53,127.0.0.2:53",
                        "RELAY_SPOOL_DIRECTORY", "/from/env",
                        "RELAY_MTA_STS_ENABLED", "false",
                        "RELAY_LIMITS_MAX_MESSAGE_SIZE", "10MB",
                        "RELAY_QUEUE_RETRY_SCHEDULE", "1m, 10m",
                        "RELAY_HOSTNAME", "relay.example.org",
                        "RELAY_ADMIN_ADDRESS", "127.0.0.1:0",
                        "RELAY_NETWORK_IO", "epoll"));

        assertThat(c.delivery().dns().servers()).containsExactly(new HostPort("127.0.0.1", 53), new HostPort("127.0.0.2", 53));
        assertThat(c.spool().directory()).isEqualTo(Path.of("/from/env"));
        assertThat(c.mtaSts().enabled()).isFalse();
        assertThat(c.limits().maxMessageSize()).isEqualTo(10L << 20);
        assertThat(c.queue().retrySchedule()).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(10));
        assertThat(c.hostname()).isEqualTo("relay.example.org");
        assertThat(c.admin().address()).isEqualTo(new HostPort("127.0.0.1", 0));
        assertThat(c.network().io()).isEqualTo(dev.relay.network.NetworkIo.EPOLL);
    }

    @Test
    void overridesApplyToTheEmbeddedDefaultToo() {
        var c = new ConfigLoader(Map.of("RELAY_DELIVERY_PORT", "2526"), () -> "x").loadDefault().config();
        assertThat(c.delivery().port()).isEqualTo(2526);
    }

    @Test
    void otherVariablesAreIgnored() {
        RelayConfig c = load("", Map.of("PATH", "/bin", "HOME", "/root", "RELAYX", "1"));
        assertThat(c.delivery().port()).isEqualTo(25);
    }

    @Test
    void anEmptyValueIsAnEmptyListOrTheDefault() {
        RelayConfig c = load("""
                relay-networks: [10.0.0.0/8]
                limits: {max-recipients: 5}
                """, Map.of("RELAY_RELAY_NETWORKS", "", "RELAY_LIMITS_MAX_RECIPIENTS", ""));
        assertThat(c.relayNetworks()).isEmpty();
        assertThat(c.limits().maxRecipients()).isEqualTo(1000);
    }

    @Test
    void listenerFieldsAreSetByIndexOnTheDefaultListener() {
        RelayConfig c = load("", Map.of("RELAY_LISTENERS_0_ADDRESS", "0.0.0.0:2525", "RELAY_LISTENERS_0_AUTH", "off"));
        assertThat(c.listeners()).containsExactly(
                new ListenerConfig(new HostPort("0.0.0.0", 2525), Mode.OPTIONAL, false, Mode.OFF));
    }

    @Test
    void theNextIndexAddsAListener() {
        RelayConfig c = load("listeners: [{address: \"127.0.0.1:25\"}]", Map.of(
                "RELAY_LISTENERS_1_ADDRESS", "127.0.0.1:26",
                "RELAY_LISTENERS_1_STARTTLS", "off",
                "RELAY_LISTENERS_2_ADDRESS", "127.0.0.1:27"));
        assertThat(c.listeners()).extracting(ListenerConfig::name)
                .containsExactly("127.0.0.1:25", "127.0.0.1:26", "127.0.0.1:27");
        assertThat(c.listeners().get(1).starttls()).isEqualTo(Mode.OFF);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            # listener numbers count from 0 without gaps, and an added listener needs an address
            RELAY_LISTENERS_2_ADDRESS   | 127.0.0.1:27          | RELAY_LISTENERS_2_ADDRESS: there is no listeners[1]: listener numbers count from 0 without gaps (1 listener so far)
            RELAY_LISTENERS_1_AUTH      | off                   | listeners[1].address: required
            # unknown RELAY_ variables are errors, with a hint where there is one
            RELAY_LIMITS_MAX_RECIPIENT  | 5                     | RELAY_LIMITS_MAX_RECIPIENT: unknown configuration variable (did you mean RELAY_LIMITS_MAX_RECIPIENTS?)
            RELAY_LISTENERS_3_ADRESS    | x                     | RELAY_LISTENERS_3_ADRESS: unknown configuration variable (did you mean RELAY_LISTENERS_3_ADDRESS?)
            RELAY_LISTENERS             | 127.0.0.1:25          | RELAY_LISTENERS: unknown configuration variable (listener fields are set one at a time: RELAY_LISTENERS_0_ADDRESS, RELAY_LISTENERS_0_STARTTLS, RELAY_LISTENERS_0_AUTH, RELAY_LISTENERS_0_IMPLICIT_TLS)
            RELAY_SOMETHING_ELSE        | 1                     | RELAY_SOMETHING_ELSE: unknown configuration variable
            # bad values name the key and the variable
            RELAY_LIMITS_MAX_RECIPIENTS | many                  | limits.max-recipients: expected a whole number, got "many" (from RELAY_LIMITS_MAX_RECIPIENTS)
            RELAY_DELIVERY_DNS_SERVERS  | 127.0.0.1:53,resolver | delivery.dns.servers[1]: expected an IP address with an optional port, like 192.0.2.53, 127.0.0.1:5353 or [::1]:53, got "resolver" (from RELAY_DELIVERY_DNS_SERVERS)
            RELAY_LISTENERS_0_STARTTLS  | maybe                 | listeners[0].starttls: expected one of off, optional, required, got "maybe" (from RELAY_LISTENERS_0_STARTTLS)
            RELAY_USERS_FILE            | /no/such/users        | users-file: /no/such/users: no such file (from RELAY_USERS_FILE)
            RELAY_MTA_STS_ENABLED       | no                    | mta-sts.enabled: expected true or false, got "no" (from RELAY_MTA_STS_ENABLED)
            """)
    void aBadVariableIsOneErrorNamingIt(String variable, String value, String message) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load("", Map.of(variable, value)));
        assertThat(e).as("no error for %s=%s", variable, value).isNotNull();
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void everyKeyHasItsOwnEnvironmentName() {
        Set<String> names = new HashSet<>();
        for (var key : KeySchema.KEYS) {
            assertThat(names.add(key.envName())).as("%s collides", key.envName()).isTrue();
        }
        assertThat(KeySchema.plainKeys()).extracting(KeySchema.Key::envName).contains(
                "RELAY_DELIVERY_DNS_SERVERS", "RELAY_MTA_STS_ENABLED", "RELAY_SPOOL_DIRECTORY",
                "RELAY_DELIVERY_TLS_EXTRA_TRUST", "RELAY_TLS_CERTIFICATE", "RELAY_SHUTDOWN_GRACE");
    }

    @Test
    void everyKeyInTheTableIsReadByTheMapper() {
        // a key in the schema that the mapper never reads would be accepted and then ignored
        String effective = ConfigPrinter.effectiveYaml(load("""
                tls-policy:
                  overrides: [{domain: partner.example, mode: enforce, mx: [mx.partner.example], until: 2030-01-01, reason: r}]
                logging: {level: info}
                """, Map.of()));
        for (var key : KeySchema.KEYS) {
            String leaf = key.path().substring(key.path().lastIndexOf('.') + 1);
            assertThat(effective).as(key.path()).contains(leaf + ":");
        }
        assertThat(List.copyOf(KeySchema.childrenOf(""))).containsExactly(
                "hostname", "listeners", "relay-networks", "users-file", "tls", "limits", "spool", "queue",
                "delivery", "mta-sts", "tls-rpt", "tls-policy", "logging", "admin", "network", "shutdown-grace");
    }

    @Test
    void loggingVariablesAreNotMistakenForUnknownKeys() {
        RelayConfig config = load("", Map.of("RELAY_LOG_LEVEL", "DEBUG", "RELAY_LOG_FORMAT", "json",
                "RELAY_LOG_FILE", "/var/log/relay/relay.log", "RELAY_LOG_MAX_FILE_SIZE", "50MB",
                "RELAY_LOG_KEEP_DAYS", "30", "RELAY_LOG_TOTAL_SIZE_CAP", "5GB"));
        assertThat(config.limits().maxRecipients()).isEqualTo(1000);
        assertThatThrownBy(() -> load("", Map.of("RELAY_LOG_LEVELS", "DEBUG")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("RELAY_LOG_LEVELS");
    }
}
