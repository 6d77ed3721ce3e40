package dev.relay.dns;

import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.relay.dane.TlsaRecord;
import dev.relay.dns.testkit.SignedZone;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.queue.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DNSSEC-validated lookups against a loopback server serving zones signed in the test:
 * <ul>
 *   <li>{@code test.}: signed, anchored by its DS in the trust-anchor file; it delegates
 *       {@code insecure.test} without a DS (unsigned, proved so by its NSEC), and
 *       {@code good.test}, {@code badkey.test} and {@code expired.test} with DS records;</li>
 *   <li>{@code secure.test}: signed, anchored by its own DS in the file;</li>
 *   <li>{@code good.test}: signed; {@code badkey.test}: its RRSIGs made by another key than its
 *       DNSKEY; {@code expired.test}: its RRSIGs expired yesterday;</li>
 *   <li>{@code insecure.test}: not signed.</li>
 * </ul>
 */
class DnssecLookupTest {

    private static final String TLSA_DATA = "8d02536c887482bc34ff54e41d2ba659bf85b341a0a20afadb5813dcfbcf286d";
    private static final TlsaRecord EXPECTED = new TlsaRecord(3, 1, 1, HexFormat.of().parseHex(TLSA_DATA));

    @TempDir
    Path dir;

    private TestDnsServer dns;
    private SignedZone secure;
    private Path anchors;
    private final ConcurrentLinkedQueue<DnssecStatus> statuses = new ConcurrentLinkedQueue<>();
    private final DnsEvents events = new DnsEvents() {
        @Override
        public void lookup(LookupType type, ResultKind result) {}

        @Override
        public void dnssecAnswer(DnssecStatus status) {
            statuses.add(status);
        }
    };

    @BeforeEach
    void serveZones() throws IOException {
        dns = TestDnsServer.start();
        secure = SignedZone.builder("secure.test")
                .add("secure.test. MX 10 mx.secure.test.",
                        "mx.secure.test. A 127.0.0.1",
                        "mail.secure.test. CNAME mx.secure.test.",
                        "_25._tcp.mx.secure.test. TLSA 3 1 1 " + TLSA_DATA,
                        "_25._tcp.forged.secure.test. TLSA 3 1 1 " + TLSA_DATA,
                        "_25._tcp.alias.secure.test. CNAME _25._tcp.mx.secure.test.",
                        "_25._tcp.other.secure.test. TXT \"no TLSA here\"",
                        "_25._tcp.broken.secure.test. TLSA 3 1 1 " + TLSA_DATA,
                        "_25._tcp.slow.secure.test. TLSA 3 1 1 " + TLSA_DATA,
                        "_2525._tcp.mx.secure.test. TLSA 2 1 1 " + "11".repeat(32))
                .build();
        SignedZone good = SignedZone.builder("good.test")
                .add("_25._tcp.mx.good.test. TLSA 3 1 1 " + TLSA_DATA)
                .build();
        SignedZone badKey = SignedZone.builder("badkey.test")
                .add("_25._tcp.mx.badkey.test. TLSA 3 1 1 " + TLSA_DATA)
                .signingKey(SignedZone.newKey())
                .build();
        SignedZone expired = SignedZone.builder("expired.test")
                .add("_25._tcp.mx.expired.test. TLSA 3 1 1 " + TLSA_DATA)
                .validity(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)))
                .build();
        SignedZone parent = SignedZone.builder("test")
                .add("insecure.test. NS ns.insecure.test.")
                .add("good.test. NS ns.good.test.", "badkey.test. NS ns.badkey.test.", "expired.test. NS ns.expired.test.")
                .add(good.ds(), badKey.ds(), expired.ds())
                .build();
        dns.add(parent.recordArray()).add(secure.recordArray()).add(good.recordArray()).add(badKey.recordArray())
                .add(expired.recordArray());
        dns.soa("insecure.test", 300, 60)
                .mx("insecure.test", 10, "mx.insecure.test")
                .add("_25._tcp.mx.insecure.test. 300 IN TLSA 3 1 1 " + TLSA_DATA);
        // forged after signing: the record no longer matches its RRSIG
        dns.clear("_25._tcp.forged.secure.test", "TLSA")
                .add("_25._tcp.forged.secure.test. 300 IN TLSA 3 1 1 " + "00".repeat(32));
        anchors = Files.writeString(dir.resolve("anchors"), parent.dsAnchor() + secure.dsAnchor());
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private DnsResolver resolver(DnssecMode mode) {
        return DnsResolver.builder()
                .servers(List.of(dns.endpoint()))
                .timeout(Duration.ofMillis(500))
                .attempts(1)
                .dnssec(mode)
                .trustAnchors(TrustAnchors.fromFile(anchors))
                .events(events)
                .build();
    }

    private DnsResolver validating() {
        return resolver(DnssecMode.VALIDATE);
    }

    @Test
    void signedTlsaRecordsAreSecure() {
        assertThat(result(validating().lookupTlsa("mx.secure.test"))).isEqualTo(new TlsaResult.Secure(List.of(EXPECTED)));
        assertThat(statuses).containsExactly(DnssecStatus.SECURE);
    }

    @Test
    void aSecureDelegationFromAnAnchoredParentIsSecure() {
        assertThat(result(validating().lookupTlsa("mx.good.test"))).isEqualTo(new TlsaResult.Secure(List.of(EXPECTED)));
    }

    @Test
    void aSecureCnameChainToSignedRecordsIsSecure() {
        assertThat(result(validating().lookupTlsa("alias.secure.test"))).isEqualTo(new TlsaResult.Secure(List.of(EXPECTED)));
    }

    @Test
    void theMxRrsetOfASignedDomainIsSecure() {
        Validated<DnsResult<MxHost>> mx = result(validating().lookupMxValidated("secure.test"));

        assertThat(mx).isEqualTo(new Validated<>(new DnsResult.Found<>(List.of(new MxHost("mx.secure.test", 10))),
                DnssecStatus.SECURE));
        assertThat(mx.isSecure()).isTrue();
    }

    @Test
    void anUnsignedZoneBelowASignedParentIsInsecure() {
        DnsResolver resolver = validating();

        assertThat(result(resolver.lookupTlsa("mx.insecure.test"))).isEqualTo(new TlsaResult.Insecure());
        assertThat(result(resolver.lookupMxValidated("insecure.test"))).isEqualTo(new Validated<>(
                new DnsResult.Found<>(List.of(new MxHost("mx.insecure.test", 10))), DnssecStatus.INSECURE));
        assertThat(result(resolver.lookupTlsa("nowhere.insecure.test"))).isEqualTo(new TlsaResult.NoRecords(false));
        // the validator proved the delegation unsigned by asking the parent for its DS
        assertThat(dns.queryCount("insecure.test", "DS")).isPositive();
        assertThat(statuses).containsOnly(DnssecStatus.INSECURE);
    }

    @Test
    void aNameOutsideEveryTrustAnchorIsInsecure() {
        dns.mx("elsewhere.example", 10, "mx.elsewhere.example");

        assertThat(result(validating().lookupMxValidated("elsewhere.example")).status()).isEqualTo(DnssecStatus.INSECURE);
    }

    static Stream<Arguments> provedAbsences() {
        return Stream.of(
                // what is proved absent, the TLSA host, the mail domain, its MX result
                arguments("a nonexistent name", "nowhere.secure.test", "nothing.test", new DnsResult.NoSuchDomain<MxHost>()),
                arguments("an absent type", "other.secure.test", "mx.secure.test", new DnsResult.NoData<MxHost>()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("provedAbsences")
    void aProvedAbsenceIsSecureNoRecords(String absence, String tlsaHost, String mailDomain, DnsResult<MxHost> mx) {
        DnsResolver resolver = validating();

        assertThat(result(resolver.lookupTlsa(tlsaHost))).isEqualTo(new TlsaResult.NoRecords(true));
        assertThat(result(resolver.lookupMxValidated(mailDomain))).isEqualTo(new Validated<>(mx, DnssecStatus.SECURE));
    }

    @Test
    void aRecordChangedAfterSigningIsBogus() {
        TlsaResult result = result(validating().lookupTlsa("forged.secure.test"));

        assertThat(result).isInstanceOf(TlsaResult.Bogus.class);
        assertThat(((TlsaResult.Bogus) result).reason()).startsWith("DNSSEC validation failed for TLSA of _25._tcp.forged.secure.test: ");
        assertThat(statuses).containsExactly(DnssecStatus.BOGUS);
    }

    @Test
    void aZoneSignedWithAKeyOtherThanItsDnskeyIsBogus() {
        assertThat(result(validating().lookupTlsa("mx.badkey.test"))).isInstanceOf(TlsaResult.Bogus.class);
    }

    @Test
    void expiredSignaturesAreBogus() {
        TlsaResult result = result(validating().lookupTlsa("mx.expired.test"));

        assertThat(result).isInstanceOf(TlsaResult.Bogus.class);
    }

    @Test
    void signaturesLaterThanTheirExpiryByTheClockAreBogus() {
        DnsResolver later = DnsResolver.builder().servers(List.of(dns.endpoint())).timeout(Duration.ofMillis(500)).attempts(1)
                .trustAnchors(TrustAnchors.fromFile(anchors))
                .clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofDays(60)))
                .build();

        assertThat(result(later.lookupTlsa("mx.secure.test"))).isInstanceOf(TlsaResult.Bogus.class);
    }

    @Test
    void aWrongTrustAnchorMakesEverythingBelowItBogus() throws IOException {
        SignedZone impostor = SignedZone.builder("secure.test").build();
        Path wrong = Files.writeString(dir.resolve("wrong"), impostor.dsAnchor());
        DnsResolver resolver = DnsResolver.builder().servers(List.of(dns.endpoint())).timeout(Duration.ofMillis(500)).attempts(1)
                .trustAnchors(TrustAnchors.fromFile(wrong)).build();

        assertThat(result(resolver.lookupTlsa("mx.secure.test"))).isInstanceOf(TlsaResult.Bogus.class);
    }

    @Test
    void aDnskeyTrustAnchorWorksLikeADs() throws IOException {
        Path keys = Files.writeString(dir.resolve("keys"), secure.dnskeyAnchor());
        DnsResolver resolver = DnsResolver.builder().servers(List.of(dns.endpoint())).timeout(Duration.ofMillis(500)).attempts(1)
                .trustAnchors(TrustAnchors.fromFile(keys)).build();

        assertThat(result(resolver.lookupTlsa("mx.secure.test"))).isEqualTo(new TlsaResult.Secure(List.of(EXPECTED)));
    }

    @Test
    void servfailIsATemporaryFailureNotBogusNorInsecure() {
        dns.servfail("_25._tcp.broken.secure.test");

        TlsaResult result = result(validating().lookupTlsa("broken.secure.test"));

        assertThat(result).isEqualTo(new TlsaResult.TemporaryFailure("DNS SERVFAIL for TLSA of _25._tcp.broken.secure.test"));
        assertThat(statuses).containsExactly(DnssecStatus.ERROR);
    }

    @Test
    void aFailingKeyLookupIsATemporaryFailureToo() {
        dns.servfail("secure.test", "DNSKEY");

        assertThat(result(validating().lookupTlsa("mx.secure.test"))).isInstanceOf(TlsaResult.TemporaryFailure.class);
    }

    @Test
    void silenceIsATemporaryFailure() {
        dns.drop("_25._tcp.slow.secure.test");

        TlsaResult result = result(validating().lookupTlsa("slow.secure.test"));

        assertThat(result).isInstanceOf(TlsaResult.TemporaryFailure.class);
        assertThat(((TlsaResult.TemporaryFailure) result).reason())
                .endsWith("did not answer in time for TLSA of _25._tcp.slow.secure.test");
    }

    @Test
    void validatedAnswersAreCachedWithinTheirTtl() {
        DnsResolver resolver = validating();

        result(resolver.lookupTlsa("mx.secure.test"));
        dns.clearQueries();
        TlsaResult again = result(resolver.lookupTlsa("mx.secure.test"));

        assertThat(again).isEqualTo(new TlsaResult.Secure(List.of(EXPECTED)));
        assertThat(dns.queryCount()).isZero();
        assertThat(statuses).containsExactly(DnssecStatus.SECURE, DnssecStatus.SECURE);
    }

    @Test
    void aSecureAnswerIsCachedNoLongerThanItsSignaturesLast() {
        SignedZone shortLived = SignedZone.builder("short.test")
                .add("_25._tcp.mx.short.test. 300 IN TLSA 3 1 1 " + TLSA_DATA)
                .validity(Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofSeconds(90)))
                .build();
        dns.add(shortLived.recordArray());
        MutableClock clock = new MutableClock(Instant.now());
        DnsResolver resolver = DnsResolver.builder().servers(List.of(dns.endpoint())).timeout(Duration.ofMillis(500)).attempts(1)
                .trustAnchors(new TrustAnchors(shortLived.dsAnchor(), "test")).clock(clock).build();

        assertThat(result(resolver.lookupTlsa("mx.short.test"))).isInstanceOf(TlsaResult.Secure.class);
        clock.advance(Duration.ofSeconds(60));
        assertThat(result(resolver.lookupTlsa("mx.short.test"))).isInstanceOf(TlsaResult.Secure.class);
        assertThat(dns.queryCount("_25._tcp.mx.short.test", "TLSA")).as("within the signatures' life: cached").isEqualTo(1);
        clock.advance(Duration.ofSeconds(40));
        // the TTL (300 s) is not over, the signatures are: asked again, and now bogus
        assertThat(result(resolver.lookupTlsa("mx.short.test"))).isInstanceOf(TlsaResult.Bogus.class);
    }

    @Test
    void bogusAnswersAreNotCached() {
        DnsResolver resolver = validating();

        result(resolver.lookupTlsa("forged.secure.test"));
        result(resolver.lookupTlsa("forged.secure.test"));

        assertThat(dns.queryCount("_25._tcp.forged.secure.test", "TLSA")).isEqualTo(2);
    }

    @Test
    void plainLookupsStayPlain() {
        DnsResolver resolver = validating();

        assertThat(result(resolver.lookupMx("secure.test"))).isEqualTo(new DnsResult.Found<>(List.of(new MxHost("mx.secure.test", 10))));
        // no validation: the DNSKEY was never asked for
        assertThat(dns.queryCount("secure.test", "DNSKEY")).isZero();
        assertThat(statuses).isEmpty();
    }

    @Test
    void trustAdBelievesTheServersAdBit() {
        DnsResolver resolver = resolver(DnssecMode.TRUST_AD);

        assertThat(result(resolver.lookupTlsa("mx.insecure.test"))).isEqualTo(new TlsaResult.Insecure());
        dns.authenticData(true);
        resolver.invalidateAll();
        assertThat(result(resolver.lookupTlsa("mx.insecure.test"))).isEqualTo(new TlsaResult.Secure(List.of(EXPECTED)));
        assertThat(dns.queryCount("insecure.test", "DNSKEY") + dns.queryCount("test", "DNSKEY")).isZero();
    }

    @Test
    void offAsksNothingAndNothingIsSecure() {
        DnsResolver resolver = resolver(DnssecMode.OFF);

        assertThat(result(resolver.lookupTlsa("mx.secure.test"))).isEqualTo(new TlsaResult.Insecure());
        assertThat(result(resolver.lookupMxValidated("secure.test")).status()).isEqualTo(DnssecStatus.INSECURE);
        assertThat(dns.queryCount("_25._tcp.mx.secure.test", "TLSA")).isZero();
    }

    @Test
    void anotherPortAsksItsOwnService() {
        assertThat(result(validating().lookupTlsa("mx.secure.test", 2525)))
                .isEqualTo(new TlsaResult.Secure(List.of(new TlsaRecord(2, 1, 1, HexFormat.of().parseHex("11".repeat(32))))));
    }

    @Test
    void addressesOfASignedHostAreSecureAndAnAliasNamesItsTarget() {
        DnsResolver resolver = validating();
        DnsResult<InetAddress> addresses = result(resolver.lookupAddresses("mx.secure.test"));

        // the AAAA question is answered by a proved absence: still secure
        assertThat(result(resolver.lookupAddressesValidated("mx.secure.test")))
                .isEqualTo(new ValidatedAddresses(addresses, DnssecStatus.SECURE, "mx.secure.test"));
        ValidatedAddresses alias = result(resolver.lookupAddressesValidated("mail.secure.test"));
        assertThat(alias.status()).isEqualTo(DnssecStatus.SECURE);
        assertThat(alias.expandedName()).isEqualTo("mx.secure.test");
        assertThat(alias.result()).isInstanceOf(DnsResult.Found.class);
    }

    @Test
    void addressesOfAnUnsignedHostAreInsecureAndFailuresAreErrors() {
        dns.a("mx.insecure.test", "127.0.0.1").servfail("down.secure.test");
        DnsResolver resolver = validating();

        assertThat(result(resolver.lookupAddressesValidated("mx.insecure.test")).status()).isEqualTo(DnssecStatus.INSECURE);
        ValidatedAddresses down = result(resolver.lookupAddressesValidated("down.secure.test"));
        assertThat(down.status()).isEqualTo(DnssecStatus.ERROR);
        assertThat(down.result()).isInstanceOf(DnsResult.TemporaryFailure.class);
    }

    @Test
    void addressLiteralsHaveNoTlsaRecords() {
        assertThat(result(validating().lookupTlsa("[127.0.0.1]"))).isEqualTo(new TlsaResult.NoRecords(false));
        assertThat(dns.queryCount()).isZero();
    }
}
