package dev.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.relay.settings.ConfigException;
import dev.relay.tlsrpt.TlsRptSettings;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code tls-rpt.*} keys: defaults that follow the hostname, explicit values, and refusals naming the key. */
class TlsRptConfigTest {

    private static TlsRptSettings load(String yaml, Map<String, String> env) {
        return new ConfigLoader(env, () -> "machine.example.net").loadYaml(yaml, "t.yaml").config().tlsRpt();
    }

    @Test
    void offByDefaultWithNamesFromTheHostname() {
        assertThat(load("hostname: relay.example.net\n", Map.of())).isEqualTo(new TlsRptSettings(false, "relay.example.net",
                "postmaster@relay.example.net", "postmaster@relay.example.net", "relay.example.net", 4));
    }

    @Test
    void everyKeyIsTaken() {
        TlsRptSettings settings = load("""
                hostname: relay.example.net
                tls-rpt:
                  enabled: true
                  organization-name: Example Org
                  contact-info: https://example.org/tls-contact
                  report-sender: tls-reports@example.org
                  submitter: example.org
                  send-by-hour: 6
                """, Map.of());
        assertThat(settings).isEqualTo(new TlsRptSettings(true, "Example Org", "https://example.org/tls-contact",
                "tls-reports@example.org", "example.org", 6));
    }

    @Test
    void contactInfoFollowsTheReportSender() {
        assertThat(load("tls-rpt: {report-sender: tls@example.org}\n", Map.of()).contactInfo()).isEqualTo("tls@example.org");
    }

    @Test
    void theEnvironmentOverridesTheKeys() {
        TlsRptSettings settings = load("hostname: relay.example.net\n", Map.of(
                "RELAY_TLS_RPT_ENABLED", "true",
                "RELAY_TLS_RPT_REPORT_SENDER", "rpt@example.org",
                "RELAY_TLS_RPT_SEND_BY_HOUR", "2"));
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.reportSender()).isEqualTo("rpt@example.org");
        assertThat(settings.sendByHour()).isEqualTo(2);
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                arguments("tls-rpt: {enabled: maybe}", "tls-rpt.enabled", "maybe"),
                arguments("tls-rpt: {send-by-hour: 0}", "tls-rpt.send-by-hour", "from 1 to 23, got 0"),
                arguments("tls-rpt: {send-by-hour: 24}", "tls-rpt.send-by-hour", "from 1 to 23, got 24"),
                arguments("tls-rpt: {report-sender: reports}", "tls-rpt.report-sender", "expected a mail address like tls-reports@example.org"),
                arguments("tls-rpt: {report-sender: \"a@b@example.org\"}", "tls-rpt.report-sender", "expected a mail address"),
                arguments("tls-rpt: {report-sender: \"<a@example.org>\"}", "tls-rpt.report-sender", "expected a mail address"),
                arguments("tls-rpt: {submitter: \"example .org\"}", "tls-rpt.submitter", "expected a domain like example.org"),
                arguments("tls-rpt: {organization-name: \"  \"}", "tls-rpt.organization-name", ""),
                arguments("tls-rpt: {sendbyhour: 3}", "tls-rpt.sendbyhour", "unknown key"),
                arguments("hostname: localhost\ntls-rpt: {enabled: true}", "tls-rpt.report-sender",
                        "postmaster@localhost cannot receive replies"),
                arguments("hostname: localhost\ntls-rpt: {enabled: true, report-sender: tls@example.org}", "tls-rpt.submitter",
                        "localhost does not name your organisation"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void aBadValueIsOneLineNamingItsKey(String yaml, String key, String detail) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(yaml, Map.of()));
        assertThat(e).as(yaml).isNotNull();
        assertThat(e.getMessage()).startsWith(key + ": ").contains(detail).doesNotContain("\n");
    }

    @Test
    void disabledReportingAcceptsTheLocalhostDefaults() {
        assertThat(load("hostname: localhost\n", Map.of()).reportSender()).isEqualTo("postmaster@localhost");
    }
}
