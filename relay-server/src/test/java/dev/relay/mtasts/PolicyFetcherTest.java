package dev.relay.mtasts;

import static dev.relay.testkit.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.dns.DnsResolver;
import dev.relay.dns.testkit.TestDnsServer;
import dev.relay.mtasts.testkit.TestPolicyServer.Response;
import dev.relay.mtasts.testkit.TestPolicyServer;
import dev.relay.tls.ClientTlsContext;
import dev.relay.tls.testkit.TestCertificates;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicyFetcherTest {

    private static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmax_age: 86400\r\n";

    private static TestCertificates.Authority ca;
    private static EventLoopGroup group;

    private TestDnsServer dns;
    private TestPolicyServer policies;
    private PolicyFetcher fetcher;

    @BeforeAll
    static void startGroup() {
        ca = TestCertificates.newAuthority("Policy Test CA");
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void start() {
        dns = TestDnsServer.start();
        policies = TestPolicyServer.start(ca);
        fetcher = fetcher(policies.port(), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        policies.close();
        dns.close();
    }

    private PolicyFetcher fetcher(int port, Duration total) {
        DnsResolver resolver = dns.resolverBuilder().timeout(Duration.ofMillis(500)).build();
        ClientTlsContext tls = ClientTlsContext.builder().systemRoots(false).extraTrust(List.of(ca.certificate())).build();
        return PolicyFetcher.builder(resolver, tls, group).port(port).totalTimeout(total).build();
    }

    /** The domain's policy host resolves to the test server. */
    private TestPolicyServer.PolicyHost serve(String domain) {
        dns.a("mta-sts." + domain, "127.0.0.1");
        return policies.domain(domain);
    }

    @Test
    void fetchesThePolicyWithSniHostConnectionCloseAndUserAgent() {
        TestPolicyServer.PolicyHost host = serve("example.test").policy(POLICY);

        FetchResult result = result(fetcher.fetch("Example.TEST."));

        assertThat(result).isEqualTo(new FetchResult.Fetched(POLICY));
        assertThat(result.label()).isEqualTo("ok");
        TestPolicyServer.Request request = host.requests().getFirst();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/.well-known/mta-sts.txt");
        assertThat(request.sni()).contains("mta-sts.example.test");
        assertThat(request.host()).isEqualTo("mta-sts.example.test:" + policies.port());
        assertThat(request.headers()).containsEntry("connection", "close").containsKey("user-agent");
        assertThat(dns.queryCount("mta-sts.example.test", "A")).isEqualTo(1);
    }

    @Test
    void eachHostOnTheServerGetsItsOwnCertificateBySni() {
        serve("one.test").policy(POLICY);
        serve("two.test").policy(POLICY.replace("mx.example.test", "mx.two.test"));

        assertThat(result(fetcher.fetch("one.test"))).isEqualTo(new FetchResult.Fetched(POLICY));
        assertThat(result(fetcher.fetch("two.test")))
                .isEqualTo(new FetchResult.Fetched(POLICY.replace("mx.example.test", "mx.two.test")));
    }

    @Test
    void everyFetchIsANewRequestWithoutAnyHttpCache() {
        TestPolicyServer.PolicyHost host = serve("example.test").policy(POLICY);

        result(fetcher.fetch("example.test"));
        host.policy(POLICY.replace("enforce", "testing"));
        FetchResult second = result(fetcher.fetch("example.test"));

        assertThat(second).isEqualTo(new FetchResult.Fetched(POLICY.replace("enforce", "testing")));
        assertThat(host.requestCount()).isEqualTo(2);
    }

    @Test
    void notFoundIsAnHttpStatusFailure() {
        serve("example.test").respond(Response.status(404));

        FetchResult result = result(fetcher.fetch("example.test"));

        assertThat(result).isInstanceOfSatisfying(FetchResult.Failed.class, failed -> {
            assertThat(failed.kind()).isEqualTo(FetchFailure.HTTP_STATUS);
            assertThat(failed.detail()).contains("HTTP status 404").contains("mta-sts.example.test");
        });
        assertThat(result.label()).isEqualTo("http_status");
    }

    @Test
    void aServerErrorIsAnHttpStatusFailureToo() {
        serve("example.test").respond(Response.status(503));

        assertThat(failure(fetcher.fetch("example.test")).kind()).isEqualTo(FetchFailure.HTTP_STATUS);
    }

    @Test
    void aRedirectIsNotFollowed() {
        TestPolicyServer.PolicyHost moved = serve("example.test")
                .respond(Response.redirect("https://mta-sts.elsewhere.test/.well-known/mta-sts.txt"));
        TestPolicyServer.PolicyHost elsewhere = serve("elsewhere.test").policy(POLICY);

        failsWith(fetcher.fetch("example.test"), FetchFailure.REDIRECT)
                .contains("redirect to https://mta-sts.elsewhere.test/.well-known/mta-sts.txt not followed (HTTP 301)");
        assertThat(moved.requestCount()).isEqualTo(1);
        assertThat(elsewhere.requestCount()).isZero();
    }

    @Test
    void everyRedirectStatusIsARedirectFailure() {
        TestPolicyServer.PolicyHost host = serve("example.test");
        for (int status : new int[] {302, 303, 307, 308}) {
            host.respond(Response.redirect(status, "https://mta-sts.example.test/other"));

            FetchResult.Failed failed = failure(fetcher.fetch("example.test"));

            assertThat(failed.kind()).as("status %d", status).isEqualTo(FetchFailure.REDIRECT);
            assertThat(failed.detail()).contains("(HTTP " + status + ")");
        }
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() {
        serve("example.test").respond(Response.oversized(PolicyFetcher.DEFAULT_MAX_BODY_BYTES));

        FetchResult result = result(fetcher.fetch("example.test"));

        assertThat(result).isInstanceOfSatisfying(FetchResult.Fetched.class,
                fetched -> assertThat(fetched.body()).hasSize(PolicyFetcher.DEFAULT_MAX_BODY_BYTES));
    }

    @Test
    void aDeclaredOversizedBodyIsTooLarge() {
        serve("example.test").respond(Response.oversized(PolicyFetcher.DEFAULT_MAX_BODY_BYTES + 1));

        failsWith(fetcher.fetch("example.test"), FetchFailure.TOO_LARGE)
                .contains("Content-Length 65537").contains("65536-byte limit");
    }

    @Test
    void aChunkedOversizedBodyIsCutOffAtTheLimit() {
        serve("example.test").respond(Response.oversized(200_000).chunked());

        failsWith(fetcher.fetch("example.test"), FetchFailure.TOO_LARGE)
                .contains("body is over the 65536-byte limit");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsRead() {
        serve("example.test").respond(Response.policy(POLICY).chunked());

        assertThat(result(fetcher.fetch("example.test"))).isEqualTo(new FetchResult.Fetched(POLICY));
    }

    @Test
    void anotherMediaTypeIsAFailedFetch() {
        serve("example.test").respond(Response.policy(POLICY).withHeader("Content-Type", "text/html"));

        FetchResult.Failed failed = failure(fetcher.fetch("example.test"));

        assertThat(failed.kind()).isEqualTo(FetchFailure.WRONG_MEDIA_TYPE);
        assertThat(failed.label()).isEqualTo("wrong_media_type");
        assertThat(failed.detail()).contains("mta-sts.example.test").contains("\"text/html\"").contains("not text/plain");
    }

    @Test
    void noMediaTypeIsAFailedFetch() {
        serve("example.test").respond(Response.policy(POLICY).withoutContentType());

        failsWith(fetcher.fetch("example.test"), FetchFailure.WRONG_MEDIA_TYPE)
                .contains("no Content-Type");
    }

    @Test
    void textPlainWithParametersOrInAnotherCaseIsAccepted() {
        serve("charset.test").respond(Response.policy(POLICY).withHeader("Content-Type", "text/plain; charset=utf-8"));
        serve("upper.test").respond(Response.policy(POLICY).withHeader("Content-Type", "Text/Plain;format=flowed"));
        serve("bare.test").respond(Response.policy(POLICY).withHeader("Content-Type", "text/plain"));

        assertThat(result(fetcher.fetch("charset.test"))).isEqualTo(new FetchResult.Fetched(POLICY));
        assertThat(result(fetcher.fetch("upper.test"))).isEqualTo(new FetchResult.Fetched(POLICY));
        assertThat(result(fetcher.fetch("bare.test"))).isEqualTo(new FetchResult.Fetched(POLICY));
    }

    @Test
    void aTypeThatMerelyStartsWithTextPlainIsRefused() {
        serve("example.test").respond(Response.policy(POLICY).withHeader("Content-Type", "text/plainx"));

        assertThat(failure(fetcher.fetch("example.test")).kind()).isEqualTo(FetchFailure.WRONG_MEDIA_TYPE);
    }

    @Test
    void aCertificateForAnotherHostIsATlsErrorAndNoRequestIsSent() {
        TestPolicyServer.PolicyHost host = serve("example.test").policy(POLICY)
                .certificate(ca.issue("mta-sts.other.test"));

        failsWith(fetcher.fetch("example.test"), FetchFailure.TLS_ERROR)
                .contains("certificate-host-mismatch").contains("mta-sts.example.test");
        assertThat(host.requestCount()).isZero();
    }

    @Test
    void aCertificateForTheMxNameInsteadOfThePolicyHostIsRefused() {
        serve("example.test").policy(POLICY).certificate(ca.issue("example.test", "mx.example.test"));

        assertThat(failure(fetcher.fetch("example.test")).kind()).isEqualTo(FetchFailure.TLS_ERROR);
    }

    @Test
    void aWildcardCertificateForThePolicyHostIsAccepted() {
        serve("example.test").policy(POLICY).certificate(ca.issue("*.example.test"));

        assertThat(result(fetcher.fetch("example.test"))).isEqualTo(new FetchResult.Fetched(POLICY));
    }

    @Test
    void anExpiredCertificateIsATlsError() {
        TestPolicyServer.PolicyHost host = serve("example.test").policy(POLICY)
                .certificate(ca.leaf("mta-sts.example.test").expired().issue());

        failsWith(fetcher.fetch("example.test"), FetchFailure.TLS_ERROR)
                .contains("certificate-expired");
        assertThat(host.requestCount()).isZero();
    }

    @Test
    void aSelfSignedCertificateIsATlsError() {
        serve("example.test").policy(POLICY)
                .certificate(TestCertificates.selfSigned("mta-sts.example.test").issue());

        failsWith(fetcher.fetch("example.test"), FetchFailure.TLS_ERROR)
                .contains("certificate-not-trusted");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() {
        TestPolicyServer.PolicyHost host = serve("example.test").respond(Response.stall());
        PolicyFetcher impatient = fetcher(policies.port(), Duration.ofMillis(400));

        failsWith(impatient.fetch("example.test"), FetchFailure.TIMEOUT)
                .contains("no complete response from mta-sts.example.test within 400 ms");
        assertThat(host.requestCount()).isEqualTo(1);
    }

    @Test
    void aSlowResponseWithinTheDeadlineIsAccepted() {
        serve("example.test").respond(Response.policy(POLICY).delayed(Duration.ofMillis(200)));

        assertThat(result(fetcher.fetch("example.test"))).isEqualTo(new FetchResult.Fetched(POLICY));
    }

    @Test
    void aPolicyHostThatDoesNotExistIsADnsError() {
        policies.domain("example.test").policy(POLICY); // served, but DNS does not know the host

        failsWith(fetcher.fetch("example.test"), FetchFailure.DNS_ERROR)
                .contains("mta-sts.example.test does not exist");
        assertThat(policies.requestCount()).isZero();
    }

    @Test
    void aPolicyHostWithoutAddressesOrWithAFailingLookupIsADnsError() {
        dns.txt("mta-sts.noaddress.test", "not an address");
        dns.servfail("mta-sts.broken.test");

        assertThat(failure(fetcher.fetch("noaddress.test")).detail()).contains("has no A or AAAA records");
        failsWith(fetcher.fetch("broken.test"), FetchFailure.DNS_ERROR).contains("cannot resolve mta-sts.broken.test");
    }

    @Test
    void aRefusedConnectionIsAConnectError() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        serve("example.test").policy(POLICY);

        failsWith(fetcher(closedPort, Duration.ofSeconds(5)).fetch("example.test"), FetchFailure.CONNECT_ERROR)
                .contains("mta-sts.example.test[127.0.0.1]:" + closedPort);
    }

    @Test
    void labelsAreTheMetricValues() {
        assertThat(Arrays.stream(FetchFailure.values()).map(FetchFailure::label)).containsExactly(
                "dns_error", "connect_error", "tls_error", "timeout", "http_status", "redirect", "too_large",
                "wrong_media_type", "invalid_policy");
    }

    /** Asserts that the fetch failed in this way, and goes on to assert on the failure's detail. */
    private static AbstractStringAssert<?> failsWith(java.util.concurrent.CompletionStage<FetchResult> stage,
            FetchFailure kind) {
        FetchResult.Failed failed = failure(stage);
        assertThat(failed.kind()).isEqualTo(kind);
        return assertThat(failed.detail());
    }

    private static FetchResult.Failed failure(java.util.concurrent.CompletionStage<FetchResult> stage) {
        FetchResult result = result(stage);
        assertThat(result).isInstanceOf(FetchResult.Failed.class);
        return (FetchResult.Failed) result;
    }

}
