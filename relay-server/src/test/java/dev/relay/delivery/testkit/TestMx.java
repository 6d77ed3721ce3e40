package dev.relay.delivery.testkit;

import dev.relay.tls.testkit.SniKeyManager;
import dev.relay.tls.testkit.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A receiving SMTP server for tests, on 127.0.0.1 and a random port: plain blocking sockets,
 * a thread per connection, the JDK's TLS for STARTTLS. It speaks enough ESMTP for a sending
 * client (EHLO/HELO, STARTTLS, MAIL, RCPT, DATA, BDAT, RSET, NOOP, QUIT), answers as
 * scripted, misbehaves on request, and records everything for assertions.
 *
 * <pre>{@code
 * try (TestMx mx = TestMx.builder()
 *         .starttls(ca.issue("mx.test"))
 *         .extensions("PIPELINING", "SIZE 10000000", "8BITMIME", "DSN")
 *         .reply(Verb.RCPT, "nobody@", "550 5.1.1 no such user")
 *         .start()) {
 *     // deliver to mx.address() ...
 *     ReceivedMessage m = mx.awaitMessages(1, Duration.ofSeconds(5)).getFirst();
 * }
 * }</pre>
 *
 * Misbehaviours: {@link Builder#greeting} with 421 (closes) or 554 (then 503 to all but QUIT),
 * {@link Builder#stallAt} (never answers that command, or never greets), {@link
 * Builder#dropDuringData} (resets the connection after some body bytes), {@link
 * Builder#injectAfterStartTls} (a plain-text line in the same write as "220 ready to start
 * TLS", as a man in the middle would). The commands record which socket read delivered each
 * line ({@link Command#batch}), so a test can tell pipelined commands from lock-step ones.
 */
public final class TestMx implements AutoCloseable {

    /** What a scripted reply or a stall applies to; GREETING and DATA_END are not commands but moments. */
    public enum Verb {
        GREETING, EHLO, HELO, STARTTLS, MAIL, RCPT, DATA, DATA_END, BDAT, RSET, NOOP, QUIT
    }

    /**
     * One command line as received.
     *
     * @param connection 1 for the first accepted connection
     * @param batch which read on that connection completed the line (lines of one client write share it)
     * @param tls whether it came over TLS
     */
    public record Command(int connection, String line, int batch, boolean tls) {
        public String verb() {
            int space = line.indexOf(' ');
            String word = space < 0 ? line : line.substring(0, space);
            int colon = word.indexOf(':');
            return (colon < 0 ? word : word.substring(0, colon)).toUpperCase(Locale.ROOT);
        }
    }

    /**
     * One finished TLS handshake.
     *
     * @param resumed whether the client resumed an earlier session: the JDK carries a session's
     *     creation time over into its resumptions, so a second session with the creation time of
     *     an earlier one is a resumption (two full handshakes within one millisecond are not)
     */
    public record TlsSession(
            int connection, String protocol, String cipher, Optional<String> sni, boolean resumed, long creationTime) {}

    private record Rule(Verb verb, String argumentContains, String reply) {}

    private final Builder settings;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-mx");
        t.setDaemon(true);
        return t;
    });
    private final SSLContext tls;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Command> commands = new CopyOnWriteArrayList<>();
    private final List<TlsSession> tlsSessions = new CopyOnWriteArrayList<>();
    private final List<ReceivedMessage> messages = new ArrayList<>();
    private volatile boolean closed;
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);

    private TestMx(Builder settings) throws IOException {
        this.settings = settings;
        this.tls = settings.certificate.map(this::serverContext).orElse(null);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    public static Builder builder() {
        return new Builder();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connectionCount() {
        return connections.get();
    }

    public List<Command> commands() {
        return List.copyOf(commands);
    }

    /** The commands with this verb (e.g. "MAIL", "RSET"), in order. */
    public List<Command> commands(String verb) {
        return commands.stream().filter(c -> c.verb().equals(verb)).toList();
    }

    /** Waits until at least {@code count} commands with this verb arrived; fails the test after the timeout. */
    public List<Command> awaitCommands(String verb, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (commands) {
            while (commands(verb).size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " " + verb + " commands within " + timeout
                            + ", got " + commands(verb).size());
                }
                try {
                    commands.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            return commands(verb);
        }
    }

    public List<TlsSession> tlsSessions() {
        return List.copyOf(tlsSessions);
    }

    public List<ReceivedMessage> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** Waits until at least {@code count} messages were accepted; fails the test after the timeout. */
    public List<ReceivedMessage> awaitMessages(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (messages) {
            while (messages.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " messages within " + timeout + ", got " + messages.size());
                }
                try {
                    messages.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            return List.copyOf(messages);
        }
    }

    /** Resets every open connection at once, as a server restart would. */
    public void dropConnections() {
        for (Socket socket : open) {
            try {
                socket.setSoLinger(true, 0);
            } catch (SocketException e) {
                // closing it anyway
            }
            closeQuietly(socket);
        }
    }

    @Override
    public void close() {
        closed = true;
        closing.countDown();
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                open.add(socket);
                int id = connections.incrementAndGet();
                threads.execute(() -> {
                    try {
                        new Session(id, socket).run();
                    } catch (IOException | RuntimeException e) {
                        // the client went away or the test misbehaved on purpose
                    } finally {
                        closeQuietly(socket);
                        open.remove(socket);
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    private boolean resumed(long creationTime) {
        return tlsSessions.stream().anyMatch(earlier -> earlier.creationTime() == creationTime);
    }

    private void record(ReceivedMessage message) {
        synchronized (messages) {
            messages.add(message);
            messages.notifyAll();
        }
    }

    /** One SMTP session: the state of a real server, kept small. */
    private final class Session {
        private final int id;
        private Socket socket;
        private BatchReader in;
        private OutputStream out;
        private boolean tlsActive;
        private Optional<String> tlsProtocol = Optional.empty();
        private Optional<String> sni = Optional.empty();
        private boolean greeted;
        private boolean rejecting;
        private String mailFrom;
        private final List<String> rcptTo = new ArrayList<>();
        private ByteArrayOutputStream chunks;

        Session(int id, Socket socket) throws IOException {
            this.id = id;
            this.socket = socket;
            this.in = new BatchReader(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        void run() throws IOException {
            if (settings.stalls.contains(Verb.GREETING)) {
                drain();
                return;
            }
            String greeting = settings.greeting.orElse("220 " + settings.hostname + " ESMTP TestMx");
            send(greeting);
            if (greeting.startsWith("4")) {
                return; // 421: closing at once
            }
            rejecting = greeting.startsWith("5");
            while (true) {
                BatchReader.Line raw = in.readLine();
                if (raw == null) {
                    return;
                }
                String line = raw.text();
                Command command = new Command(id, line, raw.batch(), tlsActive);
                synchronized (commands) {
                    commands.add(command);
                    commands.notifyAll();
                }
                String verb = command.verb();
                String argument = line.length() > verb.length() ? line.substring(verb.length()) : "";
                if (rejecting) {
                    if (verb.equals("QUIT")) {
                        send("221 2.0.0 bye");
                        return;
                    }
                    send("503 5.5.1 no service here");
                    continue;
                }
                Verb known = verbOf(verb);
                if (known != null && settings.stalls.contains(known)) {
                    drain();
                    return;
                }
                if (!handle(known, line, argument)) {
                    return;
                }
            }
        }

        /** False when the session ends. */
        private boolean handle(Verb verb, String line, String argument) throws IOException {
            if (verb == null) {
                send("502 5.5.2 command not recognized");
                return true;
            }
            Optional<String> scripted = scripted(verb, argument);
            switch (verb) {
                case EHLO -> {
                    if (scripted.isPresent()) {
                        send(scripted.get());
                        return true;
                    }
                    greeted = true;
                    resetTransaction();
                    List<String> lines = new ArrayList<>();
                    lines.add(settings.hostname + " greets " + argument.strip());
                    lines.addAll(settings.extensions);
                    if (tls != null && !tlsActive) {
                        lines.add("STARTTLS");
                    }
                    StringBuilder reply = new StringBuilder();
                    for (int i = 0; i < lines.size(); i++) {
                        reply.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i));
                        if (i < lines.size() - 1) {
                            reply.append("\r\n");
                        }
                    }
                    send(reply.toString());
                }
                case HELO -> {
                    greeted = scripted.map(r -> r.startsWith("2")).orElse(true);
                    resetTransaction();
                    send(scripted.orElse("250 " + settings.hostname));
                }
                case STARTTLS -> {
                    if (scripted.isPresent()) {
                        send(scripted.get());
                    } else if (tls == null || tlsActive) {
                        send("502 5.5.1 STARTTLS not available");
                    } else {
                        startTls();
                    }
                }
                case MAIL -> {
                    if (!greeted) {
                        send("503 5.5.1 EHLO first");
                    } else if (mailFrom != null) {
                        send("503 5.5.1 nested MAIL");
                    } else {
                        String reply = scripted.orElse("250 2.1.0 ok");
                        if (reply.startsWith("2")) {
                            mailFrom = after(line, ':');
                        }
                        send(reply);
                    }
                }
                case RCPT -> {
                    if (mailFrom == null) {
                        send("503 5.5.1 MAIL first");
                    } else {
                        String reply = scripted.orElse("250 2.1.5 ok");
                        if (reply.startsWith("2")) {
                            rcptTo.add(after(line, ':'));
                        }
                        send(reply);
                    }
                }
                case DATA -> {
                    if (rcptTo.isEmpty()) {
                        send("554 5.5.1 no valid recipients");
                    } else if (scripted.isPresent() && !scripted.get().startsWith("354")) {
                        send(scripted.get());
                    } else {
                        send(scripted.orElse("354 end data with <CR><LF>.<CR><LF>"));
                        if (settings.stopReadingDuringData) {
                            awaitClose();
                            return false;
                        }
                        byte[] body = readData();
                        if (body == null) {
                            return false;
                        }
                        finishMessage(body);
                    }
                }
                case BDAT -> {
                    return bdat(argument, scripted);
                }
                case RSET -> {
                    resetTransaction();
                    send(scripted.orElse("250 2.0.0 ok"));
                }
                case NOOP -> send(scripted.orElse("250 2.0.0 ok"));
                case QUIT -> {
                    send(scripted.orElse("221 2.0.0 bye"));
                    return false;
                }
                default -> send("502 5.5.2 command not recognized");
            }
            return true;
        }

        private void startTls() throws IOException {
            String ready = "220 2.0.0 ready to start TLS";
            // the injected line goes in the same write: the client has it before its handshake
            send(settings.injectAfterStartTls.map(injected -> ready + "\r\n" + injected).orElse(ready));
            // anything the client pipelined after STARTTLS was sent in plain text: discard it
            in.discardBuffered();
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
            secure.setUseClientMode(false);
            secure.setEnabledProtocols(settings.tlsProtocols.toArray(String[]::new));
            secure.startHandshake();
            SSLSession session = secure.getSession();
            sni = SniKeyManager.requestedName(session);
            tlsProtocol = Optional.of(session.getProtocol());
            tlsSessions.add(new TlsSession(id, session.getProtocol(), session.getCipherSuite(), sni,
                    resumed(session.getCreationTime()), session.getCreationTime()));
            socket = secure;
            in = new BatchReader(secure.getInputStream());
            out = secure.getOutputStream();
            tlsActive = true;
            greeted = false;
            resetTransaction();
        }

        private byte[] readData() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            long received = 0;
            while (true) {
                BatchReader.Line line = in.readLine();
                if (line == null) {
                    return null;
                }
                byte[] bytes = line.bytes();
                received += bytes.length;
                if (settings.dropAfterBodyBytes >= 0 && received >= settings.dropAfterBodyBytes) {
                    socket.setSoLinger(true, 0); // reset, as a crashing server would
                    socket.close();
                    return null;
                }
                if (bytes.length >= 1 && bytes[0] == '.') {
                    if (isEndOfData(bytes)) {
                        return body.toByteArray();
                    }
                    body.write(bytes, 1, bytes.length - 1);
                } else {
                    body.write(bytes);
                }
            }
        }

        private boolean bdat(String argument, Optional<String> scripted) throws IOException {
            String[] words = argument.strip().split(" +");
            long size;
            try {
                size = Long.parseLong(words[0]);
            } catch (NumberFormatException e) {
                send("501 5.5.4 BDAT needs a size");
                return true;
            }
            boolean last = words.length > 1 && words[1].equalsIgnoreCase("LAST");
            byte[] chunk = in.readExactly(size);
            if (chunk == null) {
                return false;
            }
            if (rcptTo.isEmpty()) {
                send("554 5.5.1 no valid recipients");
                return true;
            }
            if (chunks == null) {
                chunks = new ByteArrayOutputStream();
            }
            chunks.write(chunk);
            if (!last) {
                send(scripted.orElse("250 2.0.0 " + size + " octets received"));
                return true;
            }
            if (settings.stalls.contains(Verb.DATA_END)) {
                drain();
                return false;
            }
            finishMessage(chunks.toByteArray());
            return true;
        }

        private void finishMessage(byte[] body) throws IOException {
            if (settings.stalls.contains(Verb.DATA_END)) {
                drain();
                return;
            }
            String reply = scripted(Verb.DATA_END, "").orElse("250 2.0.0 ok: queued as TESTMX" + id);
            if (reply.startsWith("2")) {
                record(new ReceivedMessage(id, mailFrom, rcptTo, body, tlsActive, tlsProtocol, sni));
            }
            send(reply);
            resetTransaction();
        }

        private void resetTransaction() {
            mailFrom = null;
            rcptTo.clear();
            chunks = null;
        }

        private Optional<String> scripted(Verb verb, String argument) {
            for (Rule rule : settings.rules) {
                if (rule.verb() == verb && argument.toLowerCase(Locale.ROOT).contains(rule.argumentContains().toLowerCase(Locale.ROOT))) {
                    return Optional.of(rule.reply());
                }
            }
            return Optional.empty();
        }

        private void send(String reply) throws IOException {
            out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Neither reads nor writes until the test MX is closed. */
        private void awaitClose() {
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Reads and ignores until the client gives up. */
        private void drain() throws IOException {
            while (in.readLine() != null) {
                // never answer
            }
        }
    }

    private static boolean isEndOfData(byte[] line) {
        return (line.length == 3 && line[1] == '\r' && line[2] == '\n') || (line.length == 2 && line[1] == '\n');
    }

    private static Verb verbOf(String word) {
        return switch (word) {
            case "EHLO" -> Verb.EHLO;
            case "HELO" -> Verb.HELO;
            case "STARTTLS" -> Verb.STARTTLS;
            case "MAIL" -> Verb.MAIL;
            case "RCPT" -> Verb.RCPT;
            case "DATA" -> Verb.DATA;
            case "BDAT" -> Verb.BDAT;
            case "RSET" -> Verb.RSET;
            case "NOOP" -> Verb.NOOP;
            case "QUIT" -> Verb.QUIT;
            default -> null;
        };
    }

    private static String after(String line, char separator) {
        int at = line.indexOf(separator);
        return at < 0 ? "" : line.substring(at + 1).strip();
    }

    private SSLContext serverContext(TestCertificates.Issued issued) {
        SniKeyManager.Presented fallback = SniKeyManager.Presented.of(issued, settings.sendIssuers);
        Map<String, SniKeyManager.Presented> byName = new HashMap<>();
        settings.certificatesBySni.forEach((name, other) -> byName.put(name, SniKeyManager.Presented.of(other, settings.sendIssuers)));
        try {
            return SniKeyManager.serverContext(name -> Optional.ofNullable(byName.get(name)), () -> Optional.of(fallback));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("test MX TLS setup", e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Reads lines and exact byte counts, numbering the socket reads that delivered them. */
    static final class BatchReader {
        record Line(byte[] bytes, int batch) {
            /** Without the line end, as UTF-8. */
            String text() {
                int end = bytes.length;
                if (end > 0 && bytes[end - 1] == '\n') {
                    end--;
                }
                if (end > 0 && bytes[end - 1] == '\r') {
                    end--;
                }
                return new String(bytes, 0, end, StandardCharsets.UTF_8);
            }
        }

        private final InputStream in;
        private byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;
        private int batch;

        BatchReader(InputStream in) {
            this.in = in;
        }

        /** The next line with its line end (LF-terminated), or null at the end of input. */
        Line readLine() throws IOException {
            while (true) {
                for (int i = start; i < end; i++) {
                    if (buffer[i] == '\n') {
                        byte[] line = Arrays.copyOfRange(buffer, start, i + 1);
                        start = i + 1;
                        return new Line(line, batch);
                    }
                }
                if (!fill()) {
                    return null;
                }
            }
        }

        /** Exactly {@code count} bytes, or null if the input ends first. */
        byte[] readExactly(long count) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long left = count;
            while (left > 0) {
                if (start == end && !fill()) {
                    return null;
                }
                int n = (int) Math.min(left, end - start);
                out.write(buffer, start, n);
                start += n;
                left -= n;
            }
            return out.toByteArray();
        }

        void discardBuffered() {
            start = end;
        }

        private boolean fill() throws IOException {
            if (start == end) {
                start = 0;
                end = 0;
            } else if (end == buffer.length) {
                if (start > 0) {
                    System.arraycopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                } else {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
            }
            int n;
            try {
                n = in.read(buffer, end, buffer.length - end);
            } catch (SocketException e) {
                return false; // reset by the client
            }
            if (n < 0) {
                return false;
            }
            end += n;
            batch++;
            return true;
        }
    }

    /** Options; {@link #start()} binds and returns the running server. */
    public static final class Builder {
        private String hostname = "mx.test";
        private Optional<TestCertificates.Issued> certificate = Optional.empty();
        private final Map<String, TestCertificates.Issued> certificatesBySni = new LinkedHashMap<>();
        private boolean sendIssuers = true;
        private List<String> tlsProtocols = List.of("TLSv1.3", "TLSv1.2");
        private final List<String> extensions = new ArrayList<>();
        private Optional<String> greeting = Optional.empty();
        private final List<Rule> rules = new ArrayList<>();
        private final Set<Verb> stalls = EnumSet.noneOf(Verb.class);
        private long dropAfterBodyBytes = -1;
        private boolean stopReadingDuringData;
        private Optional<String> injectAfterStartTls = Optional.empty();

        private Builder() {}

        /** The name in the greeting and the EHLO reply. */
        public Builder hostname(String name) {
            this.hostname = Objects.requireNonNull(name);
            return this;
        }

        /** Offers STARTTLS with this certificate (and sends its issuer along). */
        public Builder starttls(TestCertificates.Issued certificate) {
            this.certificate = Optional.of(certificate);
            return this;
        }

        /**
         * Presents this certificate instead of the {@link #starttls} one to clients that ask for
         * {@code sniName}: one server plays several MX hosts with different certificates.
         */
        public Builder certificateFor(String sniName, TestCertificates.Issued certificate) {
            this.certificatesBySni.put(sniName.toLowerCase(Locale.ROOT), Objects.requireNonNull(certificate));
            return this;
        }

        /** Whether the issuing CA goes into the presented chain (default yes). */
        public Builder sendIssuers(boolean send) {
            this.sendIssuers = send;
            return this;
        }

        public Builder tlsProtocols(String... protocols) {
            this.tlsProtocols = List.of(protocols);
            return this;
        }

        /** EHLO keywords with their parameters, e.g. "PIPELINING", "SIZE 1000", "8BITMIME", "SMTPUTF8", "DSN", "CHUNKING". */
        public Builder extensions(String... keywords) {
            this.extensions.addAll(List.of(keywords));
            return this;
        }

        /** The whole greeting line; a 4xx greeting closes the connection, a 5xx one refuses all but QUIT. */
        public Builder greeting(String reply) {
            this.greeting = Optional.of(reply);
            return this;
        }

        /** Answers the verb with this reply (full line(s), CRLF between lines) whenever its argument contains the text. */
        public Builder reply(Verb verb, String argumentContains, String reply) {
            this.rules.add(new Rule(verb, argumentContains, reply));
            return this;
        }

        /** Answers every such command with this reply. */
        public Builder reply(Verb verb, String reply) {
            return reply(verb, "", reply);
        }

        /** Never answers this command (GREETING: never greets; DATA_END: never answers the end of data). */
        public Builder stallAt(Verb verb) {
            this.stalls.add(verb);
            return this;
        }

        /** Resets the connection once this many body bytes have arrived in DATA. */
        public Builder dropDuringData(long afterBytes) {
            this.dropAfterBodyBytes = afterBytes;
            return this;
        }

        /** After answering DATA with 354, stops reading: the client's writes back up until it gives up. */
        public Builder stopReadingDuringData() {
            this.stopReadingDuringData = true;
            return this;
        }

        /** Sends this line right after "220 ready to start TLS", in the same write. */
        public Builder injectAfterStartTls(String line) {
            this.injectAfterStartTls = Optional.of(line);
            return this;
        }

        public TestMx start() {
            try {
                return new TestMx(this);
            } catch (IOException e) {
                throw new IllegalStateException("test MX could not bind", e);
            }
        }
    }
}
