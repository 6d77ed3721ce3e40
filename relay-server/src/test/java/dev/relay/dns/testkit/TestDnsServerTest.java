package dev.relay.dns.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The test kit's server, asked with plain dnsjava and raw sockets. */
class TestDnsServerTest {

    private TestDnsServer dns;

    @BeforeEach
    void start() {
        dns = TestDnsServer.start();
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private Message ask(String name, int type, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(2));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN)));
    }

    @Test
    void answersOverUdpAndTcpOnTheSamePort() throws Exception {
        dns.add("example.test. 60 IN MX 10 mx.example.test.");

        Message udp = ask("example.test", Type.MX, false);
        Message tcp = ask("example.test", Type.MX, true);

        for (Message m : List.of(udp, tcp)) {
            assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
            MXRecord mx = (MXRecord) m.getSection(Section.ANSWER).getFirst();
            assertThat(mx.getTarget()).isEqualTo(Name.fromString("mx.example.test."));
            assertThat(mx.getTTL()).isEqualTo(60);
        }
        assertThat(dns.queries()).containsExactly(
                new TestDnsServer.Query("example.test", "MX", false), new TestDnsServer.Query("example.test", "MX", true));
        assertThat(dns.hostPort()).isEqualTo("127.0.0.1:" + dns.port());
    }

    @Test
    void negativeAnswersCarryAnSoa() throws Exception {
        dns.negativeTtl(42).a("host.example.test", "192.0.2.1");

        Message nx = ask("nothing.example.test", Type.A, false);
        Message nodata = ask("host.example.test", Type.TXT, false);

        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        for (Message m : List.of(nx, nodata)) {
            Record soa = m.getSection(Section.AUTHORITY).getFirst();
            assertThat(soa.getType()).isEqualTo(Type.SOA);
            assertThat(soa.getTTL()).isEqualTo(42);
            assertThat(soa.getName()).isEqualTo(Name.fromString("example.test."));
        }
    }

    @Test
    void removingRecordsTakesEffectAtOnce() throws Exception {
        dns.mx("example.test", 10, "mx.example.test").a("example.test", "192.0.2.1");
        dns.clear("example.test", "MX");
        assertThat(ask("example.test", Type.MX, false).getSection(Section.ANSWER)).isEmpty();
        assertThat(ask("example.test", Type.A, false).getSection(Section.ANSWER)).hasSize(1);

        dns.remove("example.test");
        assertThat(ask("example.test", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void garbageNeverStopsTheServer() throws Exception {
        dns.a("alive.test", "192.0.2.1");
        try (DatagramSocket socket = new DatagramSocket()) {
            for (byte[] junk : List.of(new byte[0], new byte[] {1, 2, 3}, new byte[300], "not dns at all".getBytes())) {
                socket.send(new DatagramPacket(junk, junk.length, dns.address()));
            }
            // a response sent to the server is not a question
            Message response = Message.newQuery(Record.newRecord(Name.fromString("alive.test."), Type.A, DClass.IN));
            response.getHeader().setFlag(Flags.QR);
            byte[] wire = response.toWire();
            socket.send(new DatagramPacket(wire, wire.length, dns.address()));
        }
        try (Socket socket = new Socket(dns.address().getAddress(), dns.port())) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(5);
            out.write(new byte[] {9, 9, 9, 9, 9});
            out.flush();
            // still framed: a good question on the same connection is answered
            byte[] query = Message.newQuery(Record.newRecord(Name.fromString("alive.test."), Type.A, DClass.IN)).toWire();
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            assertThat(new Message(answer).getSection(Section.ANSWER)).hasSize(1);
        }
        try (Socket socket = new Socket(dns.address().getAddress(), dns.port())) {
            socket.getOutputStream().write(new byte[] {0, 100, 1}); // a frame cut short
        }

        assertThat(ask("alive.test", Type.A, false).getSection(Section.ANSWER)).hasSize(1);
        assertThat(ask("alive.test", Type.A, true).getSection(Section.ANSWER)).hasSize(1);
        assertThat(dns.malformedCount()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void badInputToTheKitIsRefusedLoudly() {
        assertThatThrownBy(() -> dns.a("host.test", "2001:db8::1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.add("this is not a record")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dns.clear("x.test", "NOPE")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoServersGetTwoPorts() {
        try (TestDnsServer other = TestDnsServer.start()) {
            assertThat(other.port()).isNotEqualTo(dns.port());
        }
    }
}
