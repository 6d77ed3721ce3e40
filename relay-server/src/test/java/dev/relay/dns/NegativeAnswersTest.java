package dev.relay.dns;

import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.settings.HostPort;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the MX, address and TXT lookups share: a name that does not exist and a question that
 * could not be answered come back the same way from each, as {@link DnsResult} cases.
 */
class NegativeAnswersTest {

    /** One lookup of the resolver, by the name asked. */
    enum Lookup {
        MX(DnsResolver::lookupMx),
        ADDRESSES(DnsResolver::lookupAddresses),
        TXT(DnsResolver::lookupTxt);

        private final BiFunction<DnsResolver, String, CompletionStage<? extends DnsResult<?>>> ask;

        Lookup(BiFunction<DnsResolver, String, CompletionStage<? extends DnsResult<?>>> ask) {
            this.ask = ask;
        }

        DnsResult<?> of(DnsResolver resolver, String name) {
            return result(ask.apply(resolver, name));
        }
    }

    @RegisterExtension
    final TestDnsServer dns = TestDnsServer.start();
    private final DnsResolver resolver = dns.resolverBuilder().build();

    @ParameterizedTest
    @EnumSource(Lookup.class)
    void nxdomainIsNoSuchDomain(Lookup lookup) {
        assertThat(lookup.of(resolver, "nowhere.test")).isEqualTo(new DnsResult.NoSuchDomain<>());
    }

    @ParameterizedTest
    @EnumSource(Lookup.class)
    void aCnameToNowhereIsNoSuchDomain(Lookup lookup) {
        dns.cname("dangling.test", "gone.test");

        assertThat(lookup.of(resolver, "dangling.test")).isEqualTo(new DnsResult.NoSuchDomain<>());
    }

    /** A server that cannot answer a question about a name, and what the reason then says. */
    enum Trouble {
        SERVFAIL("SERVFAIL", TestDnsServer::servfail),
        REFUSED("REFUSED", TestDnsServer::refused),
        // a loop, not a hang: the client chases the CNAMEs
        CNAME_LOOP("CNAME", (dns, name) -> dns.chaseCnames(false).cname(name, "pong.test").cname("pong.test", name));

        private final String said;
        private final BiConsumer<TestDnsServer, String> arrange;

        Trouble(String said, BiConsumer<TestDnsServer, String> arrange) {
            this.said = said;
            this.arrange = arrange;
        }
    }

    static Stream<Arguments> lookupsInTrouble() {
        return Stream.of(Lookup.values()).flatMap(lookup -> Stream.of(Trouble.values()).map(trouble -> arguments(lookup, trouble)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("lookupsInTrouble")
    void aQuestionTheServerCannotAnswerIsTemporary(Lookup lookup, Trouble trouble) {
        trouble.arrange.accept(dns, "troubled.test");

        assertThat(lookup.of(resolver, "troubled.test"))
                .isInstanceOfSatisfying(DnsResult.TemporaryFailure.class, f -> assertThat(f.reason()).contains(trouble.said));
    }

    @ParameterizedTest
    @EnumSource(Lookup.class)
    void aMalformedAnswerIsTemporary(Lookup lookup) {
        dns.malformed("garbled.test");

        assertThat(lookup.of(resolver, "garbled.test")).isInstanceOf(DnsResult.TemporaryFailure.class);
    }

    @ParameterizedTest
    @EnumSource(Lookup.class)
    void aServerThatIsNotThereIsTemporary(Lookup lookup) {
        int port = dns.port();
        dns.close();
        DnsResolver nowhere = DnsResolver.builder()
                .servers(List.of(new HostPort("127.0.0.1", port)))
                .timeout(Duration.ofMillis(300))
                .attempts(1)
                .build();

        assertThat(lookup.of(nowhere, "example.test")).isInstanceOf(DnsResult.TemporaryFailure.class);
    }
}
