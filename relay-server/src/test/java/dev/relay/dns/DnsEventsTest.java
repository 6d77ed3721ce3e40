package dev.relay.dns;

import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.dns.testkit.TestDnsServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DnsEventsTest {

    record Event(LookupType type, ResultKind result) {}

    @Test
    void everyLookupIsReportedOncePerTypeWithItsResult() {
        List<Event> events = new CopyOnWriteArrayList<>();
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "192.0.2.1")
                    .servfail("down.test").drop("silent.test");
            DnsResolver resolver = dns.resolverBuilder()
                    .events((type, result) -> events.add(new Event(type, result)))
                    .build();

            result(resolver.lookupMx("example.test"));
            result(resolver.lookupMx("example.test")); // from the cache, still a lookup
            result(resolver.lookupAddresses("mx.example.test"));
            result(resolver.lookupTxt("nowhere.test"));
            result(resolver.lookupMx("down.test"));
            result(resolver.lookupTxt("silent.test"));
            result(resolver.lookupAddresses("192.0.2.9")); // a literal: no DNS, no event
            result(resolver.lookupMx("bad..name"));      // invalid: no DNS, no event
        }

        assertThat(events).containsExactlyInAnyOrder(
                new Event(LookupType.MX, ResultKind.FOUND),
                new Event(LookupType.MX, ResultKind.FOUND),
                new Event(LookupType.A, ResultKind.FOUND),
                new Event(LookupType.AAAA, ResultKind.NO_DATA),
                new Event(LookupType.TXT, ResultKind.NXDOMAIN),
                new Event(LookupType.MX, ResultKind.SERVFAIL),
                new Event(LookupType.TXT, ResultKind.TIMEOUT));
    }

    @Test
    void labelsAreLowerCase() {
        assertThat(LookupType.AAAA.label()).isEqualTo("aaaa");
        assertThat(ResultKind.NO_DATA.label()).isEqualTo("no_data");
        assertThat(ResultKind.TIMEOUT.isTemporary()).isTrue();
        assertThat(ResultKind.NXDOMAIN.isTemporary()).isFalse();
    }

    @Test
    void aThrowingListenerDoesNotBreakTheLookup() {
        try (TestDnsServer dns = TestDnsServer.start()) {
            dns.mx("example.test", 10, "mx.example.test");
            DnsResolver resolver = DnsResolver.builder()
                    .servers(List.of(dns.endpoint()))
                    .events((type, result) -> {
                        throw new IllegalStateException("listener bug");
                    })
                    .build();

            assertThat(result(resolver.lookupMx("example.test"))).isInstanceOf(DnsResult.Found.class);
        }
    }
}
