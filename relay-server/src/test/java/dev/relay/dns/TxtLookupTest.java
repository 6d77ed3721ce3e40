package dev.relay.dns;

import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.dns.testkit.TestDnsServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TxtLookupTest {

    @RegisterExtension
    final TestDnsServer dns = TestDnsServer.start();
    private final DnsResolver resolver = dns.resolverBuilder().build();

    @Test
    void theStringsOfOneRecordAreJoinedWithoutSeparator() {
        dns.txt("_mta-sts.example.test", "v=STSv1; ", "id=2024", "0101");

        assertThat(result(resolver.lookupTxt("_mta-sts.example.test")))
                .isEqualTo(new DnsResult.Found<>(List.of("v=STSv1; id=20240101")));
    }

    @Test
    void everyRecordIsOneString() {
        dns.txt("example.test", "v=spf1 -all").txt("example.test", "v=STSv1; id=1").txt("example.test", "other");

        DnsResult<String> result = result(resolver.lookupTxt("example.test"));

        assertThat(((DnsResult.Found<String>) result).values())
                .containsExactlyInAnyOrder("v=spf1 -all", "v=STSv1; id=1", "other");
    }

    @Test
    void bytesComeBackAsTheyAreNotEscaped() {
        dns.add("raw.test. 300 IN TXT \"back\\\\slash \\\"quoted\\\"\" \"caf\\195\\169\"");

        assertThat(result(resolver.lookupTxt("raw.test")))
                .isEqualTo(new DnsResult.Found<>(List.of("back\\slash \"quoted\"café")));
    }

    @Test
    void cnamesAreFollowedForTheRecordButTheNameAskedStays() {
        dns.cname("_mta-sts.customer.test", "_mta-sts.provider.test").txt("_mta-sts.provider.test", "v=STSv1; id=p1");

        assertThat(result(resolver.lookupTxt("_mta-sts.customer.test")))
                .isEqualTo(new DnsResult.Found<>(List.of("v=STSv1; id=p1")));
    }

    @Test
    void cnamesFollowedByTheClient() {
        dns.chaseCnames(false)
                .cname("_mta-sts.customer.test", "_mta-sts.provider.test")
                .txt("_mta-sts.provider.test", "v=STSv1; id=p1");

        assertThat(result(resolver.lookupTxt("_mta-sts.customer.test")))
                .isEqualTo(new DnsResult.Found<>(List.of("v=STSv1; id=p1")));
    }

    @Test
    void noRecordsNoSuchDomainAndFailureAreThreeDifferentThings() {
        dns.a("exists.test", "192.0.2.1").servfail("_mta-sts.down.test").drop("_mta-sts.silent.test");

        assertThat(result(resolver.lookupTxt("exists.test"))).isEqualTo(new DnsResult.NoData<>());
        assertThat(result(resolver.lookupTxt("_mta-sts.nowhere.test"))).isEqualTo(new DnsResult.NoSuchDomain<>());
        assertThat(result(resolver.lookupTxt("_mta-sts.down.test"))).isInstanceOf(DnsResult.TemporaryFailure.class);
        assertThat(result(resolver.lookupTxt("_mta-sts.silent.test"))).isInstanceOf(DnsResult.TemporaryFailure.class);
    }

    @Test
    void aLargeAnswerIsTruncatedOverUdpAndAskedAgainOverTcp() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String text = "record number " + i + " with some padding to make the answer large";
            dns.txt("big.test", text);
            expected.add(text);
        }

        DnsResult<String> result = result(resolver.lookupTxt("big.test"));

        assertThat(((DnsResult.Found<String>) result).values()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(dns.queries()).containsExactly(
                new TestDnsServer.Query("big.test", "TXT", false), new TestDnsServer.Query("big.test", "TXT", true));
    }

    @Test
    void anAddressLiteralHasNoTxtAndIsNotAsked() {
        assertThat(result(resolver.lookupTxt("192.0.2.1"))).isEqualTo(new DnsResult.NoSuchDomain<>());
        assertThat(result(resolver.lookupTxt("_mta-sts.[192.0.2.1]"))).isEqualTo(new DnsResult.NoSuchDomain<>());
        assertThat(dns.queryCount()).isZero();
    }
}
