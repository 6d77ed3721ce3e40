package dev.relay.smtp.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The one raw SMTP client of the tests: a blocking socket that writes exactly the bytes it is
 * given (so malformed, pipelined and slow input can be sent as is) and reads replies as they come.
 * Listener tests, whole-relay tests, integration tests and load programs all use it.
 */
public final class SmtpTestClient implements AutoCloseable {
    private static final int DEFAULT_TIMEOUT_MS = 10_000;
    private static final String QUEUED_AS = "queued as ";

    /** One (possibly multi-line) SMTP reply. */
    public record Reply(int code, List<String> lines) {
        public Reply {
            lines = List.copyOf(lines);
        }

        /** All lines, joined with "\n". */
        public String text() {
            return String.join("\n", lines);
        }

        public String last() {
            return lines.getLast();
        }

        @Override
        public String toString() {
            return text();
        }
    }

    private final InetSocketAddress address;
    private Socket socket;
    /** The TCP socket under TLS after {@link #startTls}; the only socket otherwise. */
    private Socket plain;
    private InputStream in;
    private OutputStream out;

    private SmtpTestClient(InetSocketAddress address, Socket socket, int timeoutMillis) throws IOException {
        this.address = address;
        use(socket, timeoutMillis);
    }

    public static SmtpTestClient connect(InetSocketAddress address) throws IOException {
        return connect(address, DEFAULT_TIMEOUT_MS);
    }

    /** Connects; every read waits at most {@code timeoutMillis}. */
    public static SmtpTestClient connect(InetSocketAddress address, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, timeoutMillis);
        return new SmtpTestClient(address, socket, timeoutMillis);
    }

    /** Connects and reads the greeting, which must be 220. */
    public static SmtpTestClient greeted(InetSocketAddress address) throws IOException {
        SmtpTestClient client = connect(address);
        try {
            client.expect(220);
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /** Implicit TLS from the first byte. */
    public static SmtpTestClient connectTls(InetSocketAddress address, SSLContext tls) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(address.getAddress(), address.getPort());
        socket.setSoTimeout(DEFAULT_TIMEOUT_MS);
        socket.startHandshake();
        return new SmtpTestClient(address, socket, DEFAULT_TIMEOUT_MS);
    }

    /**
     * One message, dot-stuffed here, from EHLO to QUIT; every reply must be positive.
     *
     * @return the queue id from the reply to the final dot
     */
    public static String submit(InetSocketAddress relay, String from, String to, String message) throws IOException {
        try (SmtpTestClient client = greeted(relay)) {
            client.command("EHLO client.test", 250);
            client.command("MAIL FROM:<" + from + ">", 250);
            client.command("RCPT TO:<" + to + ">", 250);
            client.command("DATA", 354);
            client.write(dataPayload(message));
            String queued = client.expect(250).last();
            client.command("QUIT", 221);
            return queued.substring(queued.indexOf(QUEUED_AS) + QUEUED_AS.length()).strip();
        }
    }

    /** Dot-stuffs a body with CRLF line ends and appends the end-of-data marker. */
    public static byte[] dataPayload(String body) {
        StringBuilder sb = new StringBuilder(body.length() + 16);
        for (String line : body.split("\r\n", -1)) {
            if (line.startsWith(".")) {
                sb.append('.');
            }
            sb.append(line).append("\r\n");
        }
        sb.setLength(sb.length() - 2);
        if (!body.endsWith("\r\n")) {
            sb.append("\r\n");
        }
        sb.append(".\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void use(Socket next, int timeoutMillis) throws IOException {
        if (plain == null) {
            plain = next;
        }
        socket = next;
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Writes the text as UTF-8, as is (no line end added). */
    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends one command line (CRLF appended) and reads its reply. */
    public Reply command(String line) throws IOException {
        write(line + "\r\n");
        return readReply();
    }

    /** Sends one command line and reads its reply, which must have this code. */
    public Reply command(String line, int expectedCode) throws IOException {
        write(line + "\r\n");
        return expect(expectedCode);
    }

    /** Reads one reply, which must have this code. */
    public Reply expect(int code) throws IOException {
        Reply reply = readReply();
        assertThat(reply.code()).as(reply.text()).isEqualTo(code);
        return reply;
    }

    /**
     * Pipelines MAIL FROM, RCPT TO and DATA in one write, as a PIPELINING client does; both
     * addresses must be accepted and DATA answered 354, so content may follow.
     */
    public void beginData(String from, String to) throws IOException {
        write("MAIL FROM:<" + from + ">\r\nRCPT TO:<" + to + ">\r\nDATA\r\n");
        expect(250);
        expect(250);
        expect(354);
    }

    /** Greeting (must be 220), then EHLO; returns the EHLO reply. */
    public Reply hello() throws IOException {
        expect(220);
        return command("EHLO client.example");
    }

    /** Reads one reply, all its lines; an end of stream before it ends is an {@link EOFException}. */
    public Reply readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return new Reply(code(line), lines);
            }
        }
    }

    private static int code(String line) {
        try {
            return Integer.parseInt(line.substring(0, Math.min(3, line.length())));
        } catch (NumberFormatException e) {
            return -1; // not an SMTP reply: the text says what came
        }
    }

    /** The text of every reply until the server closes. */
    public List<String> readUntilClosed() throws IOException {
        List<String> replies = new ArrayList<>();
        while (true) {
            try {
                replies.add(readReply().text());
            } catch (EOFException e) {
                return replies;
            }
        }
    }

    /** True when the server closed the connection (reads end of stream) without sending more. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Upgrades the connection after the 220 reply to STARTTLS. */
    public void startTls(SSLContext tls) throws IOException {
        // autoClose false: ending TLS must leave the TCP connection open (see endTlsThenSendClear)
        SSLSocket layered = (SSLSocket) tls.getSocketFactory()
                .createSocket(socket, address.getHostString(), address.getPort(), false);
        layered.setUseClientMode(true);
        layered.startHandshake();
        use(layered, socket.getSoTimeout());
    }

    /**
     * Sends TLS close_notify (the TCP connection stays open), then the bytes in clear text on the
     * same connection, as a client switching back to plain text mid-session would.
     */
    public void endTlsThenSendClear(String clear) throws IOException {
        socket.shutdownOutput(); // on a layered SSLSocket without autoClose: close_notify only
        plain.getOutputStream().write(clear.getBytes(StandardCharsets.US_ASCII));
        plain.getOutputStream().flush();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int previous = -1;
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                throw new EOFException("connection reset: " + e.getMessage());
            }
            if (b == -1) {
                throw new EOFException("connection closed after: " + line.toString(StandardCharsets.UTF_8));
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } finally {
            plain.close();
        }
    }
}
