package dev.relay.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.queue.QueueId;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reply, Xtext, Command, HeloNames, ConnectionLimiter, RelayNetworks. */
class SmallPartsTest {

    @Test
    void replyWireForm() {
        assertThat(new String(Replies.OK.encode(), StandardCharsets.US_ASCII)).isEqualTo("250 2.0.0 Ok\r\n");
        assertThat(new String(Replies.ehlo("h", List.of("A", "B")).encode(), StandardCharsets.US_ASCII))
                .isEqualTo("250-h\r\n250-A\r\n250 B\r\n");
        assertThat(new String(Reply.multiLine(550, Optional.of("5.1.1"), List.of("a", "b")).encode(),
                StandardCharsets.US_ASCII)).isEqualTo("550-5.1.1 a\r\n550 5.1.1 b\r\n");
        assertThat(new String(Replies.authChallenge("").encode(), StandardCharsets.US_ASCII)).isEqualTo("334 \r\n");
        assertThat(Replies.queued(new QueueId("ABC123")).firstLine()).isEqualTo("Ok: queued as ABC123");
    }

    @Test
    void replyRefusesInconsistentValues() {
        assertThatThrownBy(() -> Reply.of(250, "5.0.0", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.of(250, "2.0", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.of(250, "2.0.0", "x\r\n250 fake")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.of(600, "5.0.0", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyNamedReplyCarriesAnEnhancedCodeUnlessRfc2034SaysOtherwise() throws Exception {
        for (var field : Replies.class.getDeclaredFields()) {
            if (field.getType() == Reply.class) {
                Reply reply = (Reply) field.get(null);
                assertThat(reply.status().isPresent() || reply.code() / 100 == 3)
                        .as(field.getName()).isTrue();
            }
        }
    }

    @Test
    void xtext() {
        assertThat(Xtext.decode("abc")).contains("abc");
        assertThat(Xtext.decode("a+2Bb+3Dc")).contains("a+b=c");
        assertThat(Xtext.decode("a+2bb")).contains("a+b");
        assertThat(Xtext.decode("a+2")).isEmpty();
        assertThat(Xtext.decode("a+")).isEmpty();
        assertThat(Xtext.decode("a=b")).isEmpty();
        assertThat(Xtext.decode("a b")).isEmpty();
        assertThat(Xtext.decode("+C3+BC")).contains("ü");
        assertThat(Xtext.decode("+٣٣")).isEmpty();
    }

    @Test
    void commandParsing() {
        assertThat(Command.parse("mail FROM:<a@b>  ")).contains(new Command(Command.Verb.MAIL, "FROM:<a@b>"));
        assertThat(Command.parse("QUIT")).contains(new Command(Command.Verb.QUIT, ""));
        assertThat(Command.parse("Expn x").orElseThrow().verb().implemented()).isFalse();
        assertThat(Command.parse("FROBNICATE x")).isEmpty();
        assertThat(Command.parse(" NOOP")).isEmpty();
        assertThat(Command.parse("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mail.example.com", "MY_PC", "192.0.2.1", "[192.0.2.1]", "[IPv6:2001:db8::1]"})
    void acceptableHeloNames(String name) {
        assertThat(HeloNames.acceptable(name)).isTrue();
    }

    static Stream<String> badHeloNames() {
        return Stream.of("[300.1.1.1]", "a b", "x(y)", "x;y", "", "a".repeat(256));
    }

    @ParameterizedTest
    @MethodSource("badHeloNames")
    void unacceptableHeloNames(String name) {
        assertThat(HeloNames.acceptable(name)).isFalse();
    }

    @Test
    void connectionLimiter() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(3, 2);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        var a1 = limiter.tryAcquire(a);
        var a2 = limiter.tryAcquire(a);
        assertThat(a1).isInstanceOf(ConnectionLimiter.Permit.class);
        assertThat(a2).isInstanceOf(ConnectionLimiter.Permit.class);
        assertThat(limiter.tryAcquire(a)).isInstanceOf(ConnectionLimiter.ClientLimitReached.class);
        var b1 = limiter.tryAcquire(b);
        assertThat(b1).isInstanceOf(ConnectionLimiter.Permit.class);
        assertThat(limiter.tryAcquire(b)).isInstanceOf(ConnectionLimiter.TotalLimitReached.class);
        ((ConnectionLimiter.Permit) a1).release();
        ((ConnectionLimiter.Permit) a1).release();
        assertThat(limiter.active()).isEqualTo(2);
        assertThat(limiter.active(a)).isEqualTo(1);
        assertThat(limiter.tryAcquire(b)).isInstanceOf(ConnectionLimiter.Permit.class);
        assertThat(new ConnectionLimiter(0, 0).tryAcquire(a)).isInstanceOf(ConnectionLimiter.Permit.class);
        assertThatThrownBy(() -> new ConnectionLimiter(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void relayNetworks() throws Exception {
        RelayNetworks networks = RelayNetworks.parse(List.of("127.0.0.0/8", "::1/128", "10.1.2.3", " 2001:db8::/32 "));
        assertThat(networks.contains(InetAddress.getByName("127.1.2.3"))).isTrue();
        assertThat(networks.contains(InetAddress.getByName("128.0.0.1"))).isFalse();
        assertThat(networks.contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(networks.contains(InetAddress.getByName("::2"))).isFalse();
        assertThat(networks.contains(InetAddress.getByName("10.1.2.3"))).isTrue();
        assertThat(networks.contains(InetAddress.getByName("10.1.2.4"))).isFalse();
        assertThat(networks.contains(InetAddress.getByName("2001:db8:ffff::1"))).isTrue();
        assertThat(networks.contains(InetAddress.getByAddress(
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1})))
                .as("IPv4-mapped").isTrue();
        assertThat(RelayNetworks.NONE.contains(InetAddress.getByName("127.0.0.1"))).isFalse();
        for (String bad : List.of("localhost", "127.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/x", "", "1.2.3/8")) {
            assertThatThrownBy(() -> RelayNetworks.parse(List.of(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CIDR");
        }
    }
}
