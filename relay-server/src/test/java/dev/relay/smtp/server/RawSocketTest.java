package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.relay.smtp.testkit.SmtpTestClient;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed and hostile input over real loopback sockets. */
class RawSocketTest {
    private static final String PLAIN_ALICE = Base64.getEncoder()
            .encodeToString("\0alice\0secret".getBytes(StandardCharsets.UTF_8));

    // ---- STARTTLS and AUTH ----

    @Test
    void startTlsInjectionIsNotAnsweredInsideTls() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().withTls();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connect()) {
            assertThat(client.hello().text()).contains("250-STARTTLS");
            client.write("STARTTLS\r\nRSET\r\n");
            assertThat(client.readReply().text()).isEqualTo("220 2.0.0 Ready to start TLS");
            client.startTls(TestTls.trustingClient());
            client.write("QUIT\r\n");
            // a leaked RSET would show up as "250 2.0.0 Reset" before the 221
            assertThat(client.readUntilClosed()).containsExactly("221 2.0.0 Bye");
        }
    }

    @Test
    void startTlsInjectedTransactionIsForgotten() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().withTls();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            client.write("STARTTLS\r\nMAIL FROM:<evil@example.org>\r\n");
            assertThat(client.readReply().text()).startsWith("220 ");
            client.startTls(TestTls.trustingClient());
            assertThat(client.command("EHLO client.example").text()).doesNotContain("STARTTLS");
            assertThat(client.command("RCPT TO:<victim@example.com>").text()).isEqualTo("503 5.5.1 Need MAIL command");
        }
    }

    @Test
    void authIsOfferedOnlyInsideTlsAndRequiredBeforeMail() throws Exception {
        SmtpFixture fixture = SmtpFixture.submission();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connect()) {
            String ehlo = client.hello().text();
            assertThat(ehlo).contains("250-STARTTLS").doesNotContain("AUTH");
            assertThat(client.command("AUTH PLAIN " + PLAIN_ALICE).text()).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            assertThat(client.command("MAIL FROM:<a@example.org>").text()).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            assertThat(client.command("STARTTLS").text()).startsWith("220 ");
            client.startTls(TestTls.trustingClient());
            String secureEhlo = client.command("EHLO client.example").text();
            assertThat(secureEhlo).contains("250-AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            assertThat(client.command("MAIL FROM:<a@example.org>").text()).isEqualTo("530 5.7.0 Authentication required");
            assertThat(client.command("AUTH PLAIN " + Base64.getEncoder().encodeToString("\0alice\0nope".getBytes())).text())
                    .isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(client.command("AUTH LOGIN").text()).isEqualTo("334 VXNlcm5hbWU6");
            assertThat(client.command("*").text()).isEqualTo("501 5.0.0 Authentication cancelled");
            assertThat(client.command("AUTH PLAIN").text()).isEqualTo("334 ");
            assertThat(client.command(PLAIN_ALICE).text()).isEqualTo("235 2.7.0 Authentication successful");
            assertThat(client.command("AUTH PLAIN " + PLAIN_ALICE).text()).isEqualTo("503 5.5.1 Already authenticated");
            assertThat(client.command("MAIL FROM:<a@example.org>").text()).startsWith("250 ");
            assertThat(client.command("RCPT TO:<anyone@example.com>").text()).startsWith("250 ");
        }
        assertThat(fixture.events.rejections()).containsExactly("rejected tls_required", "rejected auth_required");
    }

    @Test
    void submissionListenerAddsMessageIdAndDateButTheRelayListenerDoesNot() throws Exception {
        String content = "From: a@example.org\r\nSubject: s\r\n\r\nbody\r\n.\r\n";
        SmtpFixture submission = SmtpFixture.submission();
        try (TestServer server = submission.server(); SmtpTestClient client = server.connectHello()) {
            client.command("STARTTLS");
            client.startTls(TestTls.trustingClient());
            client.command("EHLO client.example");
            assertThat(client.command("AUTH PLAIN " + PLAIN_ALICE).text()).startsWith("235");
            client.beginData("a@example.org", "b@example.com");
            assertThat(client.command(content.substring(0, content.length() - 2)).text()).startsWith("250 2.0.0 Ok: queued as");
        }
        assertThat(submission.queue.only().text()).endsWith(
                "From: a@example.org\r\nSubject: s\r\nDate: Sun, 1 Mar 2026 12:00:00 +0000\r\n"
                        + "Message-ID: <T0000001@relay.test>\r\n\r\nbody\r\n");

        SmtpFixture relay = SmtpFixture.defaults();
        try (TestServer server = relay.server(); SmtpTestClient client = server.connectInData()) {
            assertThat(client.command(content.substring(0, content.length() - 2)).text()).startsWith("250 2.0.0 Ok: queued as");
        }
        assertThat(relay.queue.only().text()).doesNotContain("Message-ID").doesNotContain("Date:")
                .startsWith("Received: from client.example ([127.0.0.1])");
    }

    @Test
    void implicitTlsGreetsOnlyAfterTheHandshake() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().withTls().implicitTls().starttls(Mode.OFF);
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectTls()) {
            String ehlo = client.hello().text();
            assertThat(ehlo).contains("250-AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            assertThat(client.command("STARTTLS").text()).isEqualTo("503 5.5.1 TLS already active");
        }
    }

    @Test
    void clearTextOnAnImplicitTlsPortIsDroppedWithoutAnSmtpReply() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().withTls().implicitTls().starttls(Mode.OFF);
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connect()) {
            client.write("EHLO client.example\r\n");
            assertThat(client.readUntilClosed()).isEmpty();
        }
        assertThat(fixture.events.all()).doesNotContain("session 127.0.0.1:0");
    }

    // ---- open relay ----

    static Stream<Arguments> relayTricks() {
        String denied = "554 5.7.1 Relay access denied";
        String malformed = "501 5.1.3 Bad recipient address syntax";
        return Stream.of(
                Arguments.of("<user@example.com>", denied),
                Arguments.of("<USER@EXAMPLE.COM>", denied),
                Arguments.of("<user%other.example@example.com>", denied),
                Arguments.of("<user%other.example@relay.test>", denied),
                Arguments.of("<@relay.test:user@other.example>", denied),
                Arguments.of("<@relay.test,@hop.example:user@other.example>", denied),
                Arguments.of("<other.example!user@example.com>", denied),
                Arguments.of("<other.example!user@relay.test>", denied),
                Arguments.of("<\"user@other.example\"@example.com>", denied),
                Arguments.of("<\"user@other.example\"@relay.test>", denied),
                Arguments.of("<\"user%other.example\"@relay.test>", denied),
                Arguments.of("<user@[127.0.0.1]>", denied),
                Arguments.of("<user@[192.0.2.1]>", denied),
                Arguments.of("<user@[IPv6:::1]>", denied),
                Arguments.of("<user@example.com.>", denied),
                Arguments.of("<user@relay.test>", denied),
                Arguments.of("<postmaster@relay.test>", denied),
                Arguments.of("<user@localhost>", denied),
                Arguments.of("<Postmaster>", "550 5.1.1 No local mailboxes on this relay"),
                Arguments.of("user@example.com", "501 5.5.4 Syntax: RCPT TO:<address> [parameters]"),
                Arguments.of("<user@example.com", malformed),
                Arguments.of("<user>", malformed),
                Arguments.of("<user@>", malformed),
                Arguments.of("<user@@example.com>", malformed),
                Arguments.of("<user@example..com>", malformed),
                Arguments.of("<user@example.com..>", malformed),
                Arguments.of("<user@[127.0.0.1>", malformed),
                Arguments.of("<user@[1.2.3.999]>", malformed),
                Arguments.of("<\"user@example.com>", malformed),
                Arguments.of("<user@example.com@other.example>", malformed),
                Arguments.of("<>", malformed));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("relayTricks")
    void neverAnOpenRelay(String path, String expected) throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().noRelayNetworks();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            assertThat(client.command("MAIL FROM:<a@example.org>").text()).startsWith("250 ");
            assertThat(client.command("RCPT TO:" + path).text()).isEqualTo(expected);
            assertThat(client.command("DATA").text()).isEqualTo("554 5.5.1 No valid recipients");
        }
        assertThat(fixture.queue.accepted()).isEmpty();
    }

    // ---- smuggling ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.relay.smtp.server.SmugglingTest#fakeTerminators")
    void smugglingOverTheWire(String name, String fakeTerminator) throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectInData()) {
            client.write(SmugglingTest.attack(fakeTerminator) + "QUIT\r\n");
            assertThat(client.readUntilClosed()).containsExactly(
                    "554 5.6.0 Message contains bare CR or bare LF, not accepted", "250 2.0.0 Ok", "221 2.0.0 Bye");
        }
        fixture.queue.assertNothingQueued();
    }

    // ---- bad lines ----

    @Test
    void overLongLinesAndNulGetRepliesNotCrashes() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            client.write("MAIL FROM:<" + "a".repeat(100_000) + "@example.org>\r\n");
            assertThat(client.readReply().text()).isEqualTo("500 5.5.2 Line too long");
            client.write("NOOP\0\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readReply().text()).isEqualTo("500 5.5.2 NUL character not allowed");
            assertThat(client.command("NOOP").text()).isEqualTo("250 2.0.0 Ok");
        }
    }

    @Test
    void tooManyErrorsClose() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().maxErrors(2);
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            assertThat(client.command("BOGUS").text()).startsWith("500 5.5.1");
            client.write("BOGUS\r\n");
            assertThat(client.readUntilClosed()).containsExactly(
                    "500 5.5.1 Command unrecognized", "421 4.7.0 Too many errors, closing connection");
        }
    }

    // ---- limits ----

    @Test
    void messageSizeDeclaredAndActual() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().maxMessageSize(1024);
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connect()) {
            assertThat(client.hello().text()).contains("250-SIZE 1024");
            assertThat(client.command("MAIL FROM:<a@example.org> SIZE=4096").text()).isEqualTo("552 5.3.4 Message size exceeds fixed limit");
            client.command("MAIL FROM:<a@example.org> SIZE=1000");
            client.command("RCPT TO:<b@example.com>");
            assertThat(client.command("DATA").text()).startsWith("354");
            client.write(("x".repeat(70) + "\r\n").repeat(100));
            assertThat(client.command(".").text()).isEqualTo("552 5.3.4 Message size exceeds fixed limit");
            assertThat(client.command("NOOP").text()).startsWith("250");
        }
        fixture.queue.assertNothingQueued();
    }

    @Test
    void recipientLimit() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().maxRecipients(1);
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            client.command("MAIL FROM:<a@example.org>");
            assertThat(client.command("RCPT TO:<b@example.com>").text()).startsWith("250");
            assertThat(client.command("RCPT TO:<c@example.com>").text()).isEqualTo("452 4.5.3 Too many recipients");
        }
    }

    @Test
    void connectionLimits() throws Exception {
        SmtpFixture perClient = SmtpFixture.defaults().noRelayNetworks().connections(10, 1);
        try (TestServer server = perClient.server(); SmtpTestClient first = server.connect()) {
            assertThat(first.readReply().text()).startsWith("220 ");
            try (SmtpTestClient second = server.connect()) {
                assertThat(second.readUntilClosed()).containsExactly("421 4.7.0 Too many connections from your address");
            }
            assertThat(first.command("NOOP").text()).startsWith("250");
        }
        SmtpFixture total = SmtpFixture.defaults().connections(1, 0);
        try (TestServer server = total.server(); SmtpTestClient first = server.connect()) {
            assertThat(first.readReply().text()).startsWith("220 ");
            try (SmtpTestClient second = server.connect()) {
                assertThat(second.readUntilClosed()).containsExactly("421 4.3.2 Too many connections, try again later");
            }
        }
    }

    @Test
    void sharedLimiterCountsAcrossListeners() throws Exception {
        ConnectionLimiter shared = new ConnectionLimiter(1, 0);
        SmtpFixture one = SmtpFixture.defaults().limiter(shared);
        SmtpFixture two = SmtpFixture.defaults().limiter(shared);
        try (TestServer a = one.server(); TestServer b = two.server(); SmtpTestClient first = a.connect()) {
            assertThat(first.readReply().text()).startsWith("220 ");
            try (SmtpTestClient second = b.connect()) {
                assertThat(second.readUntilClosed()).containsExactly("421 4.3.2 Too many connections, try again later");
            }
        }
    }

    @Test
    void silentClientsTimeOut() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().timeouts(Duration.ofMillis(300), Duration.ofMillis(300));
        try (TestServer server = fixture.server(); SmtpTestClient idle = server.connect()) {
            assertThat(idle.readReply().text()).startsWith("220");
            assertThat(idle.readUntilClosed()).containsExactly("421 4.4.2 Timeout exceeded, closing connection");
        }
        fixture.queue = new CapturingQueue();
        try (TestServer server = fixture.server(); SmtpTestClient slow = server.connectInData()) {
            slow.write("Subject: half a message\r\n");
            assertThat(slow.readUntilClosed()).containsExactly("421 4.4.2 Message content arrives too slowly, closing connection");
        }
        fixture.queue.assertNothingQueued();
    }

    // ---- queue outcomes ----

    @Test
    void failedCommitAnswers451AndQueuesNothing() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().commits(CapturingQueue.CommitMode.FAIL);
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            client.command("MAIL FROM:<a@example.org>");
            client.command("RCPT TO:<b@example.com>");
            client.command("DATA");
            assertThat(client.command("x\r\n.").text()).isEqualTo("451 4.3.0 Local error in processing, message not queued");
        }
        assertThat(fixture.queue.accepted()).isEmpty();
    }

    @Test
    void refusedAdmissionAnswers452() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        fixture.queue.refuseAdmission("spool disk 98% full");
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            assertThat(client.command("MAIL FROM:<a@example.org>").text()).isEqualTo("452 4.3.1 Insufficient system storage, try again later");
        }
    }

    @Test
    void pipelinedTransactionAndChunking() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server(); SmtpTestClient client = server.connectHello()) {
            client.write("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nBDAT 7\r\nSubject"
                    + "BDAT 7 LAST\r\n: x\r\n\r\nRSET\r\nQUIT\r\n");
            assertThat(client.readUntilClosed()).containsExactly("250 2.1.0 Sender ok", "250 2.1.5 Recipient ok",
                    "250 2.0.0 7 octets received", "250 2.0.0 Ok: queued as T0000001", "250 2.0.0 Reset", "221 2.0.0 Bye");
        }
        assertThat(fixture.queue.only().text()).endsWith("Subject: x\r\n\r\n");
    }

    // ---- lifecycle ----

    @Test
    void listenersThatNeedTlsRefuseToStartWithoutACertificate() {
        SmtpResources resources = SmtpResources.create(dev.relay.network.Transport.best(), 1, 1);
        try {
            SmtpFixture starttls = SmtpFixture.defaults().starttls(Mode.REQUIRED);
            assertThatThrownBy(() -> new SmtpServer(starttls.settings(), starttls.queue, starttls.authenticator,
                    Optional.empty(), starttls.limiter(), resources, SmtpEvents.NONE, starttls.clock))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("listener 127.0.0.1:0 has starttls: required but no TLS certificate is configured"
                            + " (tls.certificate, tls.key)");
            SmtpFixture implicit = SmtpFixture.defaults().implicitTls();
            assertThatThrownBy(() -> new SmtpServer(implicit.settings(), implicit.queue, implicit.authenticator,
                    Optional.empty(), implicit.limiter(), resources, SmtpEvents.NONE, implicit.clock))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("implicit-tls: true but no TLS certificate");
            SmtpFixture authOnly = SmtpFixture.defaults().auth(Mode.REQUIRED);
            assertThatThrownBy(() -> new SmtpServer(authOnly.settings(), authOnly.queue, authOnly.authenticator,
                    Optional.empty(), authOnly.limiter(), resources, SmtpEvents.NONE, authOnly.clock))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("auth: required but AUTH is only offered over TLS");
        } finally {
            resources.close();
        }
    }

    @Test
    void portInUseIsOneClearError() throws Exception {
        try (TestServer first = SmtpFixture.defaults().server()) {
            int port = first.address.getPort();
            assertThatThrownBy(() -> SmtpFixture.defaults().port(port).server())
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": ")
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void shutdownLetsTheTransactionInProgressFinish() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server(); SmtpTestClient idle = server.connect(); SmtpTestClient busy = server.connect()) {
            idle.hello();
            busy.hello();
            busy.command("MAIL FROM:<a@example.org>");
            busy.command("RCPT TO:<b@example.com>");
            assertThat(busy.command("DATA").text()).startsWith("354");
            busy.write("Subject: in flight\r\n\r\n");

            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.server.awaitTransactions(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(idle.readUntilClosed()).containsExactly("421 4.3.2 Service shutting down, closing connection");
            busy.write("last line\r\n.\r\n");
            assertThat(busy.readUntilClosed()).containsExactly(
                    "250 2.0.0 Ok: queued as T0000001", "421 4.3.2 Service shutting down, closing connection");
            assertThat(drained.get()).isTrue();
            assertThatThrownBy(server::connect).isInstanceOf(ConnectException.class);
        }
        assertThat(fixture.queue.only().text()).endsWith("Subject: in flight\r\n\r\nlast line\r\n");
    }

    @Test
    void closeAfterTheGracePeriodCutsBusySessions() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults();
        try (TestServer server = fixture.server(); SmtpTestClient busy = server.connectInData()) {
            assertThat(server.server.awaitTransactions(Duration.ofMillis(200))).isFalse();
            assertThat(busy.readUntilClosed()).containsExactly("421 4.3.2 Service shutting down, closing connection");
            assertThat(server.server.openConnections()).isZero();
        }
        fixture.queue.assertNothingQueued();
        assertThat(fixture.events.all()).filteredOn(e -> e.startsWith("closed")).hasSize(1);
    }

    @Test
    void aCommitInFlightAtTheEndOfGraceStillGetsItsReply() throws Exception {
        SmtpFixture fixture = SmtpFixture.defaults().commits(CapturingQueue.CommitMode.HOLD);
        try (TestServer server = fixture.server(); SmtpTestClient busy = server.connectInData()) {
            busy.write("x\r\n.\r\n");
            // the server may not have read the end of data yet
            await("the commit reaching the queue").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1))
                    .until(() -> fixture.queue.heldCommits() > 0);
            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.server.awaitTransactions(Duration.ofMillis(100));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            fixture.queue.releaseHeldCommits();
            assertThat(busy.readUntilClosed()).containsExactly(
                    "250 2.0.0 Ok: queued as T0000001", "421 4.3.2 Service shutting down, closing connection");
            drained.get();
        }
        assertThat(fixture.queue.accepted()).hasSize(1);
    }
}
