package dev.relay.smtp;

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

    RawClient connect() throws IOException {
        return RawClient.connect(address);
    }

    RawClient connectTls() throws IOException {
        return RawClient.connectTls(address);
    }

    @Override
    public void close() {
        server.close();
        resources.close();
    }
}
