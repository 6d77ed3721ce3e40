package dev.relay.smtp;

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
import javax.net.ssl.SSLSocket;

/** A plain socket SMTP client that sends exactly the bytes it is given, for malformed input. */
final class RawClient implements AutoCloseable {
    private static final int TIMEOUT_MS = 5000;
    private final InetSocketAddress address;
    private Socket socket;
    /** The TCP socket under TLS after {@link #startTls()}; the only socket otherwise. */
    private Socket plain;
    private InputStream in;
    private OutputStream out;

    private RawClient(InetSocketAddress address, Socket socket) throws IOException {
        this.address = address;
        use(socket);
    }

    static RawClient connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, TIMEOUT_MS);
        return new RawClient(address, socket);
    }

    /** Implicit TLS from the first byte. */
    static RawClient connectTls(InetSocketAddress address) throws IOException {
        SSLSocket socket = (SSLSocket) TestTls.trustingClient().getSocketFactory()
                .createSocket(address.getAddress(), address.getPort());
        socket.setSoTimeout(TIMEOUT_MS);
        socket.startHandshake();
        return new RawClient(address, socket);
    }

    private void use(Socket next) throws IOException {
        if (plain == null) {
            plain = next;
        }
        socket = next;
        socket.setSoTimeout(TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(String text) throws IOException {
        sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    String command(String line) throws IOException {
        send(line + "\r\n");
        return readReply();
    }

    /** Reads one reply (all its lines, joined with "\n"). */
    String readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) == ' ') {
                return String.join("\n", lines);
            }
        }
    }

    /** Greeting, then EHLO; returns the EHLO reply. */
    String hello() throws IOException {
        String greeting = readReply();
        if (!greeting.startsWith("220 ")) {
            throw new IOException("unexpected greeting " + greeting);
        }
        return command("EHLO client.example");
    }

    /** Upgrades the connection after a 220 to STARTTLS. */
    void startTls() throws IOException {
        // autoClose false: ending TLS must leave the TCP connection open (see endTlsThenSendClear)
        SSLSocket tls = (SSLSocket) TestTls.trustingClient().getSocketFactory()
                .createSocket(socket, address.getHostString(), address.getPort(), false);
        tls.setUseClientMode(true);
        tls.startHandshake();
        use(tls);
    }

    /**
     * Sends TLS close_notify (the TCP connection stays open), then the bytes in clear text on the
     * same connection, as a client switching back to plain text mid-session would.
     */
    void endTlsThenSendClear(String clear) throws IOException {
        socket.shutdownOutput(); // on a layered SSLSocket without autoClose: close_notify only
        plain.getOutputStream().write(clear.getBytes(StandardCharsets.US_ASCII));
        plain.getOutputStream().flush();
    }

    /** True when the server closed the connection (reads end of stream) without sending more. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Every reply until the server closes. */
    List<String> readUntilClosed() throws IOException {
        List<String> replies = new ArrayList<>();
        while (true) {
            try {
                replies.add(readReply());
            } catch (EOFException e) {
                return replies;
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
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
