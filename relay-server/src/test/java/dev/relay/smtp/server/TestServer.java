package dev.relay.smtp.server;

import dev.relay.network.Transport;
import dev.relay.smtp.testkit.SmtpTestClient;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A started {@link SmtpServer} on 127.0.0.1 with a random port and its own small thread pools. */
final class TestServer implements AutoCloseable {
    final SmtpServer server;
    final SmtpResources resources;
    final InetSocketAddress address;

    TestServer(SmtpFixture fixture) throws IOException {
        this(fixture, Transport.best());
    }

    TestServer(SmtpFixture fixture, Transport transport) throws IOException {
        resources = SmtpResources.create(transport, 2, 1);
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

    /** A client past the greeting and EHLO. */
    SmtpTestClient connectHello() throws IOException {
        return connectAnd(SmtpTestClient::hello);
    }

    /** A client past EHLO that began a message from a@example.org to b@example.com: content may follow. */
    SmtpTestClient connectInData() throws IOException {
        return connectAnd(client -> {
            client.hello();
            client.beginData("a@example.org", "b@example.com");
        });
    }

    private SmtpTestClient connectAnd(Conversation opening) throws IOException {
        SmtpTestClient client = connect();
        try {
            opening.run(client);
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /** What a test says first, on a new connection. */
    private interface Conversation {
        void run(SmtpTestClient client) throws IOException;
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
