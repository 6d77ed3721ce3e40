package dev.relay.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.tls.TlsRequirement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 8461 sections 4 and 5: which MX hosts may be tried, and with which TLS. */
class PolicyDecisionTest {

    private static Policy policy(PolicyMode mode) {
        return new Policy(mode, List.of(MxPattern.parse("mail.example.com").orElseThrow(),
                MxPattern.parse("*.example.net").orElseThrow()), Duration.ofDays(7));
    }

    @ParameterizedTest(name = "{0} {1}: {2} matched={3}")
    @CsvSource(delimiter = '|', textBlock = """
            ENFORCE | mail.example.com   | REQUIRED_VERIFIED | true
            ENFORCE | MAIL.Example.COM.  | REQUIRED_VERIFIED | true
            ENFORCE | mx1.example.net    | REQUIRED_VERIFIED | true
            TESTING | mail.example.com   | OPPORTUNISTIC     | true
            TESTING | mx1.example.net    | OPPORTUNISTIC     | true
            TESTING | mx.evil.example    | OPPORTUNISTIC     | false
            TESTING | a.b.example.net    | OPPORTUNISTIC     | false
            TESTING | 192.0.2.25         | OPPORTUNISTIC     | false
            NONE    | mail.example.com   | OPPORTUNISTIC     | true
            NONE    | mx.evil.example    | OPPORTUNISTIC     | true
            """)
    void allowsHosts(PolicyMode mode, String host, TlsRequirement tls, boolean matched) {
        assertThat(PolicyDecision.forHost("example.com", Optional.of(policy(mode)), host))
                .isEqualTo(new HostVerdict.Allowed(tls, matched));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            mx.evil.example    | mx.evil.example
            MX.Evil.Example.   | mx.evil.example
            example.net        | example.net
            a.b.example.net    | a.b.example.net
            mail.example.com.evil | mail.example.com.evil
            192.0.2.25         | 192.0.2.25
            """)
    void enforceRefusesUnlistedHosts(String host, String shown) {
        assertThat(PolicyDecision.forHost("example.com", Optional.of(policy(PolicyMode.ENFORCE)), host))
                .isEqualTo(new HostVerdict.Refused(shown
                        + " does not match the MTA-STS policy of example.com (mx: mail.example.com, *.example.net)"));
    }

    @Test
    void theReasonNamesTheDomainAsShownNormally() {
        assertThat(PolicyDecision.forHost("Example.COM.", Optional.of(policy(PolicyMode.ENFORCE)), "mx.evil.example"))
                .isEqualTo(new HostVerdict.Refused(
                        "mx.evil.example does not match the MTA-STS policy of example.com (mx: mail.example.com, *.example.net)"));
    }

    @ParameterizedTest
    @CsvSource({"mail.example.com", "mx.evil.example", "192.0.2.25"})
    void withoutAPolicyEveryHostIsOpportunistic(String host) {
        assertThat(PolicyDecision.forHost("example.com", Optional.empty(), host))
                .isEqualTo(new HostVerdict.Allowed(TlsRequirement.OPPORTUNISTIC, true));
    }

    @Test
    void aParsedPolicyDrivesTheDecision() {
        Policy parsed = ((PolicyParse.Valid) PolicyParser.parse(
                "version: STSv1\nmode: enforce\nmx: *.mail.example.org\nmax_age: 86400\n")).policy();

        assertThat(PolicyDecision.forHost("example.org", Optional.of(parsed), "mx2.mail.example.org"))
                .isEqualTo(new HostVerdict.Allowed(TlsRequirement.REQUIRED_VERIFIED, true));
        assertThat(PolicyDecision.forHost("example.org", Optional.of(parsed), "mail.example.org"))
                .isInstanceOf(HostVerdict.Refused.class);
    }
}
