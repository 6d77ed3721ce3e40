package dev.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.tlsrpt.TlsRptSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code tls-rpt.*} keys: defaults that follow the hostname and explicit values ({@link BadConfigTest} has the refusals). */
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

    @Test
    void disabledReportingAcceptsTheLocalhostDefaults() {
        assertThat(load("hostname: localhost\n", Map.of()).reportSender()).isEqualTo("postmaster@localhost");
    }
}
