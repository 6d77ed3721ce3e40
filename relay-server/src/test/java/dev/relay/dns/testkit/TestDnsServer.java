package dev.relay.dns.testkit;

import dev.relay.dns.DnsResolver;
import dev.relay.dns.DnsSettings;
import dev.relay.settings.HostPort;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A real DNS server on 127.0.0.1 for tests: UDP and TCP on the same random port, answering
 * authoritatively from records the test adds, built on dnsjava's message classes.
 *
 * <pre>{@code
 * try (TestDnsServer dns = TestDnsServer.start()) {
 *     dns.mx("example.test", 10, "mx1.example.test")
 *        .a("mx1.example.test", "127.0.0.1")
 *        .txt("_mta-sts.example.test", "v=STSv1; id=20240101");
 *     dns.add("other.test. 60 IN AAAA ::1");            // any zone-file line
 *     dns.servfail("broken.test");                     // or drop(), refused(), malformed()
 *     dns.drop("slow.test", "AAAA");                   // only for some types
 *     DnsSettings config = new DnsSettings(List.of(dns.endpoint()));
 *     ...
 *     assertThat(dns.queryCount("example.test", "MX")).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Behaviour: records of the asked type are answered; a CNAME is answered and chased through
 * the server's own records (unless {@link #chaseCnames(boolean)} is off, which makes the
 * client ask for the target itself). A name without records of that type gets NOERROR and
 * no data if it, or any name below it, has records; NXDOMAIN otherwise. Both negative answers
 * carry an SOA in the authority section (an added one for an enclosing zone, else a made-up
 * one for the name's last two labels) whose TTL and MINIMUM are the negative TTL, so clients
 * can cache them (RFC 2308). Over UDP an answer larger than the client's EDNS buffer (512
 * bytes without EDNS) is sent truncated, with TC set and no records, so the client must ask
 * again over TCP.
 *
 * <p>DNSSEC: a client setting DO gets the RRSIGs of the records it is answered with, and with a
 * negative answer the SOA's RRSIG and the zone's NSEC chain; sign zones with {@link SignedZone}
 * and add its records. {@link #authenticData(boolean)} sets the AD bit, as a validating
 * resolver would.
 *
 * <p>Every method may be called from any thread while the server runs. Packets that do not
 * parse are ignored (and counted); no bad packet or connection stops the server.
 *
 * <p>In a test class, {@code @RegisterExtension final TestDnsServer dns = TestDnsServer.start();}
 * (an instance field) gives each test its own server, closed after it.
 */
public final class TestDnsServer implements AutoCloseable, AfterEachCallback {

    /** One question the server received. */
    public record Query(String name, String type, boolean tcp) {}

    private enum Mode {
        SERVFAIL,
        REFUSED,
        DROP,
        MALFORMED
    }

    /** A failure mode for one name and one type, or every type ({@link #ALL_TYPES}). */
    private record ModeKey(Name name, int type) {}

    private static final int ALL_TYPES = -1;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int MAX_CHASE = 16;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Thread udpThread;
    private final Thread tcpThread;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();
    private final Map<Name, List<Record>> records = new HashMap<>(); // guarded by lock
    private final Map<ModeKey, Mode> modes = new ConcurrentHashMap<>();
    private final List<Query> queries = new ArrayList<>(); // guarded by lock
    private final AtomicLong malformedPackets = new AtomicLong();
    private volatile long defaultTtl = 300;
    private volatile long negativeTtl = 60;
    private volatile boolean chaseCnames = true;
    private volatile boolean authenticData;
    private volatile boolean closed;

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        this.udpThread = Thread.ofPlatform().daemon().name("test-dns-udp-" + udp.getLocalPort()).unstarted(this::serveUdp);
        this.tcpThread = Thread.ofPlatform().daemon().name("test-dns-tcp-" + udp.getLocalPort()).unstarted(this::acceptTcp);
    }

    /** Binds UDP and TCP on one free loopback port and starts answering. */
    public static TestDnsServer start() {
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            DatagramSocket udp = null;
            try {
                udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                ServerSocket tcp = new ServerSocket();
                try {
                    tcp.bind(new InetSocketAddress(LOOPBACK, udp.getLocalPort()), 50);
                } catch (IOException e) {
                    tcp.close();
                    throw e;
                }
                TestDnsServer server = new TestDnsServer(udp, tcp);
                server.udpThread.start();
                server.tcpThread.start();
                return server;
            } catch (BindException e) {
                last = e; // the TCP port of that number is taken: try another
                if (udp != null) {
                    udp.close();
                }
            } catch (IOException e) {
                if (udp != null) {
                    udp.close();
                }
                throw new UncheckedIOException(e);
            }
        }
        throw new UncheckedIOException("no free port for both UDP and TCP", last);
    }

    // ---- where it listens

    public InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, udp.getLocalPort());
    }

    public int port() {
        return udp.getLocalPort();
    }

    /** {@code 127.0.0.1:port}, as {@code delivery.dns.servers} takes it. */
    public String hostPort() {
        return LOOPBACK.getHostAddress() + ":" + port();
    }

    /** The server as a config value, for {@code DnsSettings}. */
    public HostPort endpoint() {
        return new HostPort(LOOPBACK.getHostAddress(), port());
    }

    /**
     * A resolver that asks only this server, once, waiting 300 ms: a lookup the server drops
     * times out quickly. Tests change what they need (timeout, clock, events) on the builder.
     */
    public DnsResolver.Builder resolverBuilder() {
        return DnsResolver.builder().servers(List.of(endpoint())).timeout(java.time.Duration.ofMillis(300)).attempts(1);
    }

    // ---- records

    /** TTL of records added by the typed adders from now on; default 300 s. */
    public TestDnsServer defaultTtl(long seconds) {
        this.defaultTtl = seconds;
        return this;
    }

    /** TTL and MINIMUM of the made-up SOA of negative answers; default 60 s. */
    public TestDnsServer negativeTtl(long seconds) {
        this.negativeTtl = seconds;
        return this;
    }

    /**
     * Whether answers carry the AD bit, as a validating resolver's do for secure data; default
     * off. For clients that trust the AD bit ({@code delivery.dns.dnssec: trust-ad}).
     */
    public TestDnsServer authenticData(boolean set) {
        this.authenticData = set;
        return this;
    }

    /** Whether CNAMEs are chased through this server's records (default) or left to the client. */
    public TestDnsServer chaseCnames(boolean chase) {
        this.chaseCnames = chase;
        return this;
    }

    /**
     * Records in zone-file syntax, one or more lines, names absolute or relative to the root,
     * the TTL optional (then the default TTL): {@code "example.test. 60 IN MX 10 mx.example.test."}.
     */
    public TestDnsServer add(String zoneText) {
        List<Record> parsed = new ArrayList<>();
        try (Master master = new Master(new ByteArrayInputStream(zoneText.getBytes(StandardCharsets.UTF_8)), Name.root,
                defaultTtl)) {
            Record r;
            while ((r = master.nextRecord()) != null) {
                parsed.add(r);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not zone-file syntax: " + zoneText + ": " + e.getMessage(), e);
        }
        return add(parsed.toArray(Record[]::new));
    }

    public TestDnsServer add(Record... toAdd) {
        synchronized (lock) {
            for (Record r : toAdd) {
                List<Record> list = records.computeIfAbsent(key(r.getName()), k -> new ArrayList<>());
                if (!list.contains(r)) {
                    list.add(r);
                }
            }
        }
        return this;
    }

    public TestDnsServer mx(String domain, int preference, String host) {
        return add(new MXRecord(name(domain), DClass.IN, defaultTtl, preference, name(host)));
    }

    /** The null MX of RFC 7505: {@code 0 .}. */
    public TestDnsServer nullMx(String domain) {
        return add(new MXRecord(name(domain), DClass.IN, defaultTtl, 0, Name.root));
    }

    public TestDnsServer a(String host, String ipv4) {
        return add(new ARecord(name(host), DClass.IN, defaultTtl, literal(ipv4, Address.IPv4)));
    }

    public TestDnsServer aaaa(String host, String ipv6) {
        return add(new AAAARecord(name(host), DClass.IN, defaultTtl, literal(ipv6, Address.IPv6)));
    }

    /** One TXT record made of the given character-strings (each at most 255 bytes). */
    public TestDnsServer txt(String name, String... strings) {
        return add(new TXTRecord(name(name), DClass.IN, defaultTtl, List.of(strings)));
    }

    public TestDnsServer cname(String name, String target) {
        return add(new CNAMERecord(name(name), DClass.IN, defaultTtl, name(target)));
    }

    /** An SOA making {@code zone} a zone apex: negative answers below it carry this SOA. */
    public TestDnsServer soa(String zone, long ttl, long minimum) {
        Name apex = name(zone);
        return add(new SOARecord(apex, DClass.IN, ttl, name("ns." + zone), name("hostmaster." + zone), 1, 3600, 600,
                86400, minimum));
    }

    /** Removes every record of a name. */
    public TestDnsServer remove(String name) {
        synchronized (lock) {
            records.remove(key(name(name)));
        }
        return this;
    }

    /** Removes the records of one type (mnemonic, e.g. {@code "MX"}) at a name. */
    public TestDnsServer clear(String name, String type) {
        int t = type(type);
        synchronized (lock) {
            List<Record> list = records.get(key(name(name)));
            if (list != null) {
                list.removeIf(r -> r.getType() == t);
                if (list.isEmpty()) {
                    records.remove(key(name(name)));
                }
            }
        }
        return this;
    }

    /** Removes all records and failure modes, and forgets the queries. */
    public TestDnsServer reset() {
        synchronized (lock) {
            records.clear();
            queries.clear();
        }
        modes.clear();
        return this;
    }

    // ---- failures, per name asked (not applied to CNAME targets the server chases), for every
    // type or for the types named (mnemonics such as "AAAA")

    /** Answers SERVFAIL for this name. */
    public TestDnsServer servfail(String name, String... types) {
        return mode(name, types, Mode.SERVFAIL);
    }

    /** Answers REFUSED for this name. */
    public TestDnsServer refused(String name, String... types) {
        return mode(name, types, Mode.REFUSED);
    }

    /** Never answers questions about this name, over UDP or TCP: the client times out. */
    public TestDnsServer drop(String name, String... types) {
        return mode(name, types, Mode.DROP);
    }

    /** Answers with the right id and a header promising records that never come. */
    public TestDnsServer malformed(String name, String... types) {
        return mode(name, types, Mode.MALFORMED);
    }

    /** Undoes {@link #servfail}, {@link #refused}, {@link #drop} and {@link #malformed} for a name. */
    public TestDnsServer answerNormally(String name) {
        Name n = name(name);
        modes.keySet().removeIf(k -> k.name().equals(n));
        return this;
    }

    private TestDnsServer mode(String name, String[] types, Mode mode) {
        Name n = name(name);
        if (types.length == 0) {
            modes.put(new ModeKey(n, ALL_TYPES), mode);
        }
        for (String type : types) {
            modes.put(new ModeKey(n, type(type)), mode);
        }
        return this;
    }

    // ---- what was asked

    public List<Query> queries() {
        synchronized (lock) {
            return List.copyOf(queries);
        }
    }

    public int queryCount() {
        synchronized (lock) {
            return queries.size();
        }
    }

    /** Questions for this name (any case, trailing dot optional) and type mnemonic. */
    public int queryCount(String name, String type) {
        String n = display(name(name));
        String t = type.toUpperCase(Locale.ROOT);
        synchronized (lock) {
            return (int) queries.stream().filter(q -> q.name().equals(n) && q.type().equals(t)).count();
        }
    }

    public TestDnsServer clearQueries() {
        synchronized (lock) {
            queries.clear();
        }
        return this;
    }

    /** Packets and frames that did not parse as DNS queries. */
    public long malformedCount() {
        return malformedPackets.get();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        closeQuietly(tcp);
        for (Socket s : connections) {
            closeQuietly(s);
        }
        try {
            udpThread.join(2000);
            tcpThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    // ---- serving

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            try {
                byte[] reply = handle(Arrays.copyOf(packet.getData(), packet.getLength()), false);
                if (reply != null) {
                    udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                malformedPackets.incrementAndGet(); // one bad packet never stops the server
            }
        }
    }

    private void acceptTcp() {
        while (!closed) {
            Socket socket;
            try {
                socket = tcp.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            connections.add(socket);
            Thread.ofVirtual().name("test-dns-tcp-conn").start(() -> serveTcp(socket));
        }
    }

    private void serveTcp(Socket socket) {
        try (socket) {
            socket.setSoTimeout(30_000);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (!closed) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException e) {
                    return;
                }
                byte[] frame = new byte[length];
                in.readFully(frame);
                byte[] reply = handle(frame, true);
                if (reply != null) {
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            }
        } catch (SocketException | EOFException e) {
            // the client went away, or we are closing
        } catch (IOException | RuntimeException e) {
            malformedPackets.incrementAndGet(); // this connection only
        } finally {
            connections.remove(socket);
        }
    }

    /** The reply to one packet, or null for no reply at all. */
    private byte[] handle(byte[] packet, boolean overTcp) {
        Message query;
        try {
            query = new Message(packet);
        } catch (IOException e) {
            malformedPackets.incrementAndGet();
            return null;
        }
        Header header = query.getHeader();
        Record question = query.getQuestion();
        if (header.getFlag(Flags.QR)) {
            malformedPackets.incrementAndGet(); // a response sent to us: never answer it
            return null;
        }
        Message response = responseTo(header, false);
        Header rh = response.getHeader();
        if (authenticData) {
            rh.setFlag(Flags.AD);
        }
        if (header.getOpcode() != Opcode.QUERY || question == null) {
            rh.setRcode(header.getOpcode() != Opcode.QUERY ? Rcode.NOTIMP : Rcode.FORMERR);
            return response.toWire();
        }
        Name name = key(question.getName());
        int type = question.getType();
        synchronized (lock) {
            queries.add(new Query(display(name), Type.string(type), overTcp));
        }
        response.addRecord(question, Section.QUESTION);
        Mode mode = modes.getOrDefault(new ModeKey(name, type), modes.get(new ModeKey(name, ALL_TYPES)));
        if (mode == Mode.DROP) {
            return null;
        }
        if (mode == Mode.MALFORMED) {
            byte[] broken = Arrays.copyOf(response.toWire(), Header.LENGTH);
            broken[7] = 5; // ANCOUNT 5, and no records follow
            return broken;
        }
        OPTRecord opt = query.getOPT();
        boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
        if (mode == Mode.SERVFAIL || mode == Mode.REFUSED) {
            rh.setRcode(mode == Mode.SERVFAIL ? Rcode.SERVFAIL : Rcode.REFUSED);
        } else {
            answer(response, name, type, dnssecOk);
        }
        if (opt != null) {
            response.addRecord(new OPTRecord(4096, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        }
        byte[] wire = response.toWire();
        int limit = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
        if (!overTcp && wire.length > limit) {
            Message truncated = responseTo(header, true);
            truncated.addRecord(question, Section.QUESTION);
            if (opt != null) {
                truncated.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
            }
            return truncated.toWire();
        }
        return wire;
    }

    private static Message responseTo(Header query, boolean truncated) {
        Message response = new Message(query.getID());
        Header h = response.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.AA);
        h.setFlag(Flags.RA);
        if (query.getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
        }
        if (truncated) {
            h.setFlag(Flags.TC);
        }
        return response;
    }

    /**
     * The answer from the records. When the client sets DO (RFC 3225), the records' RRSIGs come
     * with them, and a negative answer carries its SOA's RRSIG and the NSEC records of that zone
     * (all of them, each with its RRSIG: test zones are small, and a validator picks the NSECs
     * that prove what it needs). Zones are whatever the test added, signed or not: see
     * {@code SignedZone} in this package.
     */
    private void answer(Message response, Name asked, int type, boolean dnssecOk) {
        synchronized (lock) {
            Name current = asked;
            Set<Name> visited = new HashSet<>();
            while (visited.add(current) && visited.size() <= MAX_CHASE) {
                List<Record> here = records.getOrDefault(current, List.of());
                List<Record> matching = here.stream().filter(r -> r.getType() == type || type == Type.ANY).toList();
                if (!matching.isEmpty()) {
                    matching.forEach(r -> response.addRecord(r, Section.ANSWER));
                    if (dnssecOk && type != Type.ANY) {
                        signaturesOf(current, type).forEach(r -> response.addRecord(r, Section.ANSWER));
                    }
                    return;
                }
                Record cname = here.stream().filter(r -> r.getType() == Type.CNAME).findFirst().orElse(null);
                if (cname == null || type == Type.CNAME) {
                    break;
                }
                response.addRecord(cname, Section.ANSWER);
                if (dnssecOk) {
                    signaturesOf(current, Type.CNAME).forEach(r -> response.addRecord(r, Section.ANSWER));
                }
                if (!chaseCnames) {
                    return;
                }
                current = key(((CNAMERecord) cname).getTarget());
            }
            Name missing = current;
            boolean exists = records.keySet().stream().anyMatch(n -> n.subdomain(missing));
            if (!exists) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
            }
            // a DS record lives in the parent zone: its absence is the parent's to prove
            Name zoneOf = type == Type.DS && missing.labels() > 1 ? new Name(missing, 1) : missing;
            Record soa = soaFor(zoneOf);
            response.addRecord(soa, Section.AUTHORITY);
            if (dnssecOk) {
                signaturesOf(soa.getName(), Type.SOA).forEach(r -> response.addRecord(r, Section.AUTHORITY));
                for (Map.Entry<Name, List<Record>> entry : records.entrySet()) {
                    Name owner = entry.getKey();
                    List<RRSIGRecord> nsecSignatures = signaturesOf(owner, Type.NSEC).stream()
                            .filter(sig -> sig.getSigner().equals(soa.getName()))
                            .toList();
                    if (!owner.subdomain(soa.getName()) || nsecSignatures.isEmpty()) {
                        continue;
                    }
                    // at a zone cut both zones have an NSEC: the child's (at its apex) lists SOA, the parent's does not
                    boolean apex = owner.equals(soa.getName());
                    entry.getValue().stream().filter(r -> r instanceof NSECRecord nsec && nsec.hasType(Type.SOA) == apex)
                            .forEach(r -> response.addRecord(r, Section.AUTHORITY));
                    nsecSignatures.forEach(r -> response.addRecord(r, Section.AUTHORITY));
                }
            }
        }
    }

    /** The RRSIGs at a name covering one type; caller holds the lock. */
    private List<RRSIGRecord> signaturesOf(Name owner, int type) {
        return records.getOrDefault(owner, List.of()).stream()
                .filter(r -> r instanceof RRSIGRecord sig && sig.getTypeCovered() == type)
                .map(r -> (RRSIGRecord) r)
                .toList();
    }

    /** The closest enclosing added SOA, else one made up for the name's last two labels. */
    private Record soaFor(Name name) {
        for (int strip = 0; strip < name.labels(); strip++) {
            Name candidate = new Name(name, strip);
            for (Record r : records.getOrDefault(candidate, List.of())) {
                if (r instanceof SOARecord) {
                    return r;
                }
            }
        }
        Name zone = name.labels() > 3 ? new Name(name, name.labels() - 3) : name;
        try {
            return new SOARecord(zone, DClass.IN, negativeTtl, Name.fromString("ns", zone),
                    Name.fromString("hostmaster", zone), 1, 3600, 600, 86400, negativeTtl);
        } catch (TextParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Name name(String text) {
        try {
            return key(Name.fromString(text, Name.root));
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + text, e);
        }
    }

    private static Name key(Name name) {
        return name.canonicalize();
    }

    private static String display(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    private static int type(String mnemonic) {
        int t = Type.value(mnemonic.toUpperCase(Locale.ROOT));
        if (t < 0) {
            throw new IllegalArgumentException("unknown record type " + mnemonic);
        }
        return t;
    }

    private static InetAddress literal(String ip, int family) {
        byte[] bytes = Address.toByteArray(ip, family);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IPv" + (family == Address.IPv4 ? "4" : "6") + " address: " + ip);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
