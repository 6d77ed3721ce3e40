package dev.relay.smtp.server;

import dev.relay.smtp.testkit.SmtpTestClient;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A started {@link SmtpServer} on 127.0.0.1 with a random port and its own small thread pools. */
final class TestServer implements AutoCloseable {
    final SmtpServer server;
    final SmtpResources resources;
    final InetSocketAddress address;

    TestServer(SmtpFixture fixture) throws IOException {
        resources = SmtpResources.create(2, 1);
        try {
            server = new SmtpServer(fixture.settings(), fixture.queue, fixture.authenticator, fixture.tls,
                    fixture.limiter(), resources, fixture.sessionEvents(), fixture.clock);
            address = server.start();
        } catch (IOException | RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    SmtpTestClient connect() throws IOException {
        return SmtpTestClient.connect(address, 5000);
    }

    SmtpTestClient connectTls() throws IOException {
        return SmtpTestClient.connectTls(address, TestTls.trustingClient());
    }

    @Override
    public void close() {
        server.close();
        resources.close();
    }
}
