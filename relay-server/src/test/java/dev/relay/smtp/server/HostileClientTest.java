package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.relay.smtp.testkit.SmtpTestClient;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What broken, hostile or looping clients get, over real loopback sockets: protocol edges (BDAT,
 * TLS ending mid-chunk, content pipelined after a refused DATA, HTTP and proxy verbs, bad HELO
 * names, NUL), mail loops and address literals, and clients that trickle bytes.
 */
class HostileClientTest {

    private static final String ENVELOPE = "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\n";

    private final ScheduledExecutorService dripper = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopDripping() {
        dripper.shutdownNow();
    }

    // ---- protocol edges ----

    @Test
    void bdatWithAnUnreadableSizeClosesTheSessionSoItsChunkIsNeverReadAsCommands() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            // the "chunk" holds a whole transaction of its own
            client.write(ENVELOPE + "BDAT 12x LAST\r\n" + "RSET\r\n" + ENVELOPE + "BDAT 4 LAST\r\nevil");
            assertThat(client.readUntilClosed()).containsExactly("250 2.1.0 Sender ok", "250 2.1.5 Recipient ok",
                    "501 5.5.4 Syntax: BDAT size [LAST]; closing connection");
        }
        fixture.queue.assertNothingQueued();
    }

    /** Both TLS implementations the relay runs on: OpenSSL where netty-tcnative loads, the JDK's elsewhere. */
    static Stream<SslProvider> tlsProviders() {
        return OpenSsl.isAvailable() ? Stream.of(SslProvider.JDK, SslProvider.OPENSSL) : Stream.of(SslProvider.JDK);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tlsProviders")
    void tlsCloseNotifyInTheMiddleOfABdatChunkEndsTheSessionAndQueuesNothing(SslProvider provider) throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        fixture.tls = Optional.of(TestTls.serverContext(provider));
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            assertThat(client.command("STARTTLS").text()).startsWith("220 ");
            client.startTls(TestTls.trustingClient());
            client.command("EHLO client.example");
            client.write(ENVELOPE + "BDAT 40 LAST\r\nSubject: half\r\n\r\n");
            assertThat(client.readReply().text()).startsWith("250 2.1.0");
            assertThat(client.readReply().text()).startsWith("250 2.1.5");

            // one byte in clear text after TLS ended: too short to be mistaken for a broken TLS record
            long ended = System.nanoTime();
            client.endTlsThenSendClear("0");

            assertThat(client.readUntilClosed()).as("no reply to anything sent in clear text").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - ended)).as("closed at once, not at a timeout")
                    .isLessThan(Duration.ofSeconds(2));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(fixture.queue.openDrafts()).isZero());
        assertThat(fixture.queue.accepted()).isEmpty();
    }

    @Test
    void contentPipelinedAfterARefusedDataIsDiscardedAndTheSessionCloses() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            // no valid recipient, so DATA is refused; what follows it is the message, whose text
            // reads like a transaction of its own
            client.write("MAIL FROM:<a@example.org>\r\nRCPT TO:<Postmaster>\r\nDATA\r\n"
                    + ENVELOPE + "DATA\r\nSubject: smuggled\r\n\r\nbody\r\n.\r\n");
            assertThat(client.readUntilClosed()).containsExactly("250 2.1.0 Sender ok",
                    "550 5.1.1 No local mailboxes on this relay", "554 5.5.1 No valid recipients");
        }
        fixture.queue.assertNothingQueued();
    }

    @Test
    void aRefusedDataWithNothingSentAheadLeavesTheSessionOpen() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            assertThat(client.command("MAIL FROM:<a@example.org>").text()).startsWith("250");
            assertThat(client.command("DATA").text()).isEqualTo("554 5.5.1 No valid recipients");
            assertThat(client.command("NOOP").text()).isEqualTo("250 2.0.0 Ok");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET / HTTP/1.1", "POST /form HTTP/1.1", "HEAD / HTTP/1.0",
            "CONNECT mx.example.com:25 HTTP/1.1", "USER bob", "get /"})
    void httpAndProxyVerbsDisconnectAtOnce(String line) throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connect()) {
            assertThat(client.readReply().text()).startsWith("220 ");
            client.write(line + "\r\nHost: relay.test\r\nContent-Length: 0\r\n\r\nEHLO client.example\r\n");
            assertThat(client.readUntilClosed())
                    .containsExactly("221 2.7.0 This is an SMTP server, not a web server or proxy; goodbye");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bücher.example", "exämple", "[300.1.1.1]", "[IPv6:2001:db8::zz]", "[192.0.2.1",
            "[tag:content]", "[]", "a..example", "-a.example", "a-.example", ".example", "a.example..",
            "x(y)", "a/b"})
    void ehloAndHeloWithAnInvalidNameGet501(String name) throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connect()) {
            assertThat(client.readReply().text()).startsWith("220 ");
            assertThat(client.command("EHLO " + name).text()).isEqualTo("501 5.5.4 Syntax: EHLO hostname");
            assertThat(client.command("HELO " + name).text()).isEqualTo("501 5.5.4 Syntax: HELO hostname");
            assertThat(client.command("MAIL FROM:<a@example.org>").text()).isEqualTo("503 5.5.1 Send HELO/EHLO first");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mail.example.com", "MY_PC", "xn--bcher-kva.example", "192.0.2.1", "[192.0.2.1]",
            "[IPv6:2001:db8::1]", "[ipv6:::1]", "2001:db8::1", "host.example."})
    void ehloWithAValidOrHarmlesslyLooseNameIsTaken(String name) throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connect()) {
            assertThat(client.readReply().text()).startsWith("220 ");
            assertThat(client.command("EHLO " + name).text()).startsWith("250-relay.test");
        }
    }

    /** The decision: NUL is refused, as bare CR and LF are, except in BINARYMIME content (see README). */
    @Test
    void nulInDataIsRefusedWith554AndNothingIsQueued() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectInData()) {
            client.write("Subject: x\r\n\r\nbefore\0after\r\n.\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(client.readReply().text()).isEqualTo("554 5.6.0 Message contains NUL characters, not accepted");
            assertThat(client.command("NOOP").text()).isEqualTo("250 2.0.0 Ok");
        }
        fixture.queue.assertNothingQueued();
        assertThat(fixture.events.rejections()).containsExactly("rejected nul_character");
    }

    @Test
    void nulInABdatChunkWithoutBinaryMimeIsRefusedToo() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            client.write((ENVELOPE + "BDAT 9 LAST\r\nSubj\0ct\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            client.readReply();
            client.readReply();
            assertThat(client.readReply().text()).isEqualTo("554 5.6.0 Message contains NUL characters, not accepted");
        }
        assertThat(fixture.queue.accepted()).isEmpty();
    }

    // ---- mail loops ----

    private static String withReceivedFields(int count) {
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < count; i++) {
            // vary the spelling as real MTAs do: case, a folded field, white space before the colon
            header.append(switch (i % 3) {
                case 0 -> "Received: from a.example by b.example; Sun, 1 Mar 2026 12:00:00 +0000\r\n";
                case 1 -> "RECEIVED: from c.example\r\n\tby d.example; Sun, 1 Mar 2026 12:00:00 +0000\r\n";
                default -> "received :from e.example by f.example; Sun, 1 Mar 2026 12:00:00 +0000\r\n";
            });
        }
        return header + "Subject: loop\r\n\r\nReceived: in the body does not count\r\n";
    }

    private static String send(TestServer server, String content) throws IOException {
        try (SmtpTestClient client = server.connectInData()) {
            client.write(content + ".\r\n");
            return client.readReply().text();
        }
    }

    @Test
    void aMessageWithFiftyReceivedFieldsIsRefusedAsALoop() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        assertThat(fixture.maxReceivedHeaders).as("the default, Postfix's hopcount_limit").isEqualTo(50);
        try (TestServer server = fixture.server()) {
            assertThat(send(server, withReceivedFields(49))).startsWith("250 2.0.0 Ok: queued as");
            assertThat(send(server, withReceivedFields(50)))
                    .isEqualTo("554 5.4.6 Too many hops (Received fields), mail loop suspected, not accepted");
            assertThat(send(server, withReceivedFields(200))).startsWith("554 5.4.6");
        }
        assertThat(fixture.queue.accepted()).hasSize(1);
        assertThat(fixture.queue.openDrafts()).isZero();
        assertThat(fixture.events.rejections()).containsExactly("rejected too_many_hops", "rejected too_many_hops");
    }

    @Test
    void theHopLimitIsConfigurable() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().maxReceivedHeaders(3);
        try (TestServer server = fixture.server()) {
            assertThat(send(server, withReceivedFields(2))).startsWith("250 ");
            assertThat(send(server, withReceivedFields(3))).startsWith("554 5.4.6");
        }
    }

    // ---- address literals ----

    private static List<String> rcpt(TestServer server, String sender, String... recipients) throws IOException {
        try (SmtpTestClient client = server.connectHello()) {
            List<String> replies = new java.util.ArrayList<>();
            replies.add(client.command("MAIL FROM:<" + sender + ">").text());
            for (String recipient : recipients) {
                replies.add(client.command("RCPT TO:<" + recipient + ">").text());
            }
            return replies;
        }
    }

    @Test
    void recipientLiteralsOfThisHostOrNoHostAndNumericDomainsAreRefused() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        String local = "550 5.1.2 Recipient address literal is this relay, a loopback or an unspecified address";
        String numeric = "550 5.1.2 Recipient domain is a number, not a domain name (an IP address needs brackets)";
        try (TestServer server = fixture.server()) {
            assertThat(rcpt(server, "a@example.org", "user@[127.0.0.1]", "user@[127.9.9.9]", "user@[0.0.0.0]",
                    "user@[IPv6:::1]", "user@[IPv6:::]", "user@[IPv6:::ffff:127.0.0.1]", "user@[224.0.0.1]",
                    "user@198.51.100.7", "user@example.123", "user@[192.0.2.7]", "user@example.com"))
                    .containsExactly("250 2.1.0 Sender ok", local, local, local, local, local, local, local,
                            numeric, numeric, "550 5.1.2 Address literal recipients are not accepted",
                            "250 2.1.5 Recipient ok");
        }
        assertThat(fixture.events.rejections()).hasSize(10).containsOnly("rejected address_literal");
    }

    @Test
    void literalRecipientsCanBeAllowedButNeverThisHost() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().addressLiteralRecipients(true);
        try (TestServer server = fixture.server()) {
            assertThat(rcpt(server, "a@example.org", "user@[192.0.2.7]", "user@[IPv6:2001:db8::7]", "user@[127.0.0.1]",
                    "user@198.51.100.7"))
                    .containsExactly("250 2.1.0 Sender ok", "250 2.1.5 Recipient ok", "250 2.1.5 Recipient ok",
                            "550 5.1.2 Recipient address literal is this relay, a loopback or an unspecified address",
                            "550 5.1.2 Recipient domain is a number, not a domain name (an IP address needs brackets)");
        }
    }

    @Test
    void aLiteralOfOneOfThisHostsOwnInterfacesIsRefused() throws Exception {
        Optional<InetAddress> own = ownNonLoopbackAddress();
        Assumptions.assumeTrue(own.isPresent(), "this machine has no non-loopback IPv4 address to name");
        SmtpFixture fixture = SmtpFixture.defaults().addressLiteralRecipients(true);
        try (TestServer server = fixture.server()) {
            assertThat(rcpt(server, "a@example.org", "user@[" + own.get().getHostAddress() + "]"))
                    .containsExactly("250 2.1.0 Sender ok",
                            "550 5.1.2 Recipient address literal is this relay, a loopback or an unspecified address");
        }
    }

    /** A bounce goes to the sender: one that could only loop or go nowhere is refused before any message. */
    @Test
    void sendersThatABounceCouldNotReachAreRefused() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server()) {
            assertThat(rcpt(server, "bounce@[127.0.0.1]")).containsExactly(
                    "550 5.1.8 Sender address literal is this relay, a loopback or an unspecified address; it cannot take bounces");
            assertThat(rcpt(server, "bounce@198.51.100.7")).containsExactly(
                    "550 5.1.8 Sender domain is a number, not a domain name; it cannot take bounces");
            assertThat(rcpt(server, "bounce@[192.0.2.7]")).containsExactly(
                    "550 5.1.8 Address literal senders are not accepted: bounces are not sent to address literals");
            assertThat(rcpt(server, "", "b@example.com")).containsExactly("250 2.1.0 Sender ok", "250 2.1.5 Recipient ok");
        }
        SmtpFixture allowing = SmtpFixture.defaults().addressLiteralRecipients(true);
        try (TestServer server = allowing.server()) {
            assertThat(rcpt(server, "bounce@[192.0.2.7]")).containsExactly("250 2.1.0 Sender ok");
            assertThat(rcpt(server, "bounce@[IPv6:::1]")).singleElement().asString().startsWith("550 5.1.8");
        }
    }

    private static Optional<InetAddress> ownNonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    // ---- slow clients ----

    /** Sends one byte of {@code text} (repeating it) every {@code every} until the connection fails. */
    private void drip(SmtpTestClient client, String text, Duration every) {
        AtomicInteger next = new AtomicInteger();
        dripper.scheduleAtFixedRate(() -> {
            try {
                client.write(String.valueOf(text.charAt(next.getAndIncrement() % text.length())));
            } catch (IOException closed) {
                throw new IllegalStateException("closed", closed); // ends the schedule
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void aCommandLineTrickledAByteAtATimeMeetsItsDeadline() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().timeouts(Duration.ofMillis(600), Duration.ofSeconds(30));
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connect()) {
            assertThat(client.readReply().text()).startsWith("220 ");
            long start = System.nanoTime();
            // each byte comes well within the timeout, so an idle timer would never fire
            drip(client, "NOOP NOOP NOOP NOOP NOOP ", Duration.ofMillis(100));

            assertThat(client.readUntilClosed()).containsExactly("421 4.4.2 Timeout exceeded, closing connection");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(3));
        }
    }

    /** A listener that wants {@code bytesPerSecond} of content, with a data timeout (800 ms) shorter than a slow message takes. */
    private static SmtpFixture minDataRate(long bytesPerSecond) {
        return SmtpFixture.defaults().timeouts(Duration.ofSeconds(30), Duration.ofMillis(800)).minDataRate(bytesPerSecond);
    }

    @Test
    void contentBelowTheMinimumDataRateIsCutOffAndNothingIsQueued() throws Exception {
        SmtpFixture fixture = minDataRate(1000);
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectInData()) {
            long start = System.nanoTime();
            drip(client, "Subject: slow\r\n\r\nbody\r\n", Duration.ofMillis(100)); // 10 bytes/s

            assertThat(client.readUntilClosed()).containsExactly("421 4.4.2 Message content arrives too slowly, closing connection");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(700), Duration.ofSeconds(3));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(fixture.queue.openDrafts()).isZero());
        assertThat(fixture.queue.accepted()).isEmpty();
    }

    @Test
    void contentAtTheMinimumRateMayTakeLongerThanTheDataTimeout() throws Exception {
        SmtpFixture fixture = minDataRate(100);
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectInData()) {
            long start = System.nanoTime();
            client.write("Subject: steady\r\n\r\n");
            // 3 s of content at 200 bytes/s: each piece earns 2 s, twice what the wait between pieces costs
            AtomicInteger pieces = new AtomicInteger();
            dripper.scheduleAtFixedRate(() -> {
                try {
                    client.write(pieces.incrementAndGet() < 6 ? "x".repeat(98) + "\r\n" : ".\r\n");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                if (pieces.get() >= 6) {
                    throw new IllegalStateException("done"); // ends the schedule
                }
            }, 500, 500, TimeUnit.MILLISECONDS);

            assertThat(client.readReply().text()).startsWith("250 2.0.0 Ok: queued as");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(2500));
        }
        assertThat(fixture.queue.accepted()).hasSize(1);
    }

    @Test
    void withIdleTimeoutsATricklingClientIsNotCutOff() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().timeouts(Duration.ofMillis(600), Duration.ofSeconds(30)).idleTimeouts();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connect()) {
            assertThat(client.readReply().text()).startsWith("220 ");
            String line = "NOOP\r\n";
            for (int i = 0; i < line.length(); i++) {
                String octet = line.substring(i, i + 1);
                dripper.schedule(() -> {
                    client.write(octet);
                    return null;
                }, 250L * i, TimeUnit.MILLISECONDS);
            }
            assertThat(client.readReply().text()).as("1.25 s for one line, each byte within the idle timeout")
                    .isEqualTo("250 2.0.0 Ok");
        }
    }

    /** A client that sends and never reads: its replies fill the socket, and the connection must still end. */
    @Test
    void aClientThatNeverReadsItsRepliesIsClosedAtTheDeadline() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().timeouts(Duration.ofMillis(500), Duration.ofSeconds(30));
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connect()) {
            // far more replies than the socket buffers hold; the relay stops reading once they back up
            String noops = "NOOP\r\n".repeat(20_000);
            try {
                for (int i = 0; i < 20; i++) {
                    client.write(noops);
                }
            } catch (IOException closedWhileSending) {
                // with small socket buffers the writes block until the relay gives up on us: also fine
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fixture.events.all())
                    .as("the relay closed its side without the client reading a byte").anyMatch(e -> e.startsWith("closed ")));
        }
    }

    // ---- connection limits and relay-networks ----

    @Test
    void relayNetworkClientsAreExemptFromThePerClientLimitButNotTheTotal() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().connections(3, 1); // 127.0.0.1 is in relay-networks
        try (TestServer server = fixture.server(); SmtpTestClient one = server.connect(); SmtpTestClient two = server.connect();
                SmtpTestClient three = server.connect()) {
            assertThat(one.readReply().text()).startsWith("220 ");
            assertThat(two.readReply().text()).startsWith("220 ");
            assertThat(three.readReply().text()).startsWith("220 ");
            try (SmtpTestClient four = server.connect()) {
                assertThat(four.readUntilClosed()).containsExactly("421 4.3.2 Too many connections, try again later");
            }
            assertThat(three.command("NOOP").text()).startsWith("250");
        }
    }

    @Test
    void theExemptionCanBeTurnedOff() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().connections(10, 1).exemptRelayNetworks(false);
        try (TestServer server = fixture.server(); SmtpTestClient one = server.connect()) {
            assertThat(one.readReply().text()).startsWith("220 ");
            try (SmtpTestClient two = server.connect()) {
                assertThat(two.readUntilClosed()).containsExactly("421 4.7.0 Too many connections from your address");
            }
        }
    }
}
