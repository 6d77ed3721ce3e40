package dev.relay.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.delivery.Verdicts;
import dev.relay.outcome.Outcome;
import dev.relay.tls.ClientTlsContext;
import dev.relay.tls.TlsRequirement;
import dev.relay.tls.testkit.TestCertificates;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Shared pieces for outbound client and delivery tests: one test CA, clients, destinations, waiting. */
public final class ClientFixture {

    public static final Duration WAIT = Duration.ofSeconds(10);

    /** Minted once per JVM: EC keys make this quick. */
    public static final TestCertificates.Authority CA = TestCertificates.newAuthority("Delivery Test CA");

    private ClientFixture() {}

    /** The providers to run TLS tests with: the JDK always, OpenSSL where it loads. */
    public static List<SslProvider> providers() {
        return OpenSsl.isAvailable() ? List.of(SslProvider.JDK, SslProvider.OPENSSL) : List.of(SslProvider.JDK);
    }

    /** The system's roots plus the test CA, as {@code delivery.tls.extra-trust} would give it. */
    public static ClientTlsContext tls(SslProvider provider) {
        return ClientTlsContext.builder().provider(provider).extraTrust(List.of(CA.certificate())).build();
    }

    public static SmtpClient client(SslProvider provider, ClientTimeouts timeouts) {
        return SmtpClient.builder(tls(provider)).heloName("relay.test").timeouts(timeouts).ioThreads(1).build();
    }

    public static SmtpClient client() {
        return client(SslProvider.JDK, ClientTimeouts.uniform(WAIT));
    }

    public static Destination destination(String mxHost, InetSocketAddress address, TlsRequirement tls) {
        return new Destination(mxHost, address, tls);
    }

    /** Each recipient's outcome, as delivery's classifier makes it from what the client found. */
    public static List<Outcome> outcomes(TransactionOutcome outcome) {
        return Verdicts.of(outcome);
    }

    public static TransactionOutcome.Concluded concluded(TransactionOutcome outcome) {
        assertThat(outcome).isInstanceOf(TransactionOutcome.Concluded.class);
        return (TransactionOutcome.Concluded) outcome;
    }

    public static TransactionOutcome.Failed failed(TransactionOutcome outcome) {
        assertThat(outcome).isInstanceOf(TransactionOutcome.Failed.class);
        return (TransactionOutcome.Failed) outcome;
    }
}
