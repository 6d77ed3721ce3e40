package dev.relay.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately plain blocking SMTP client for tests and load programs: it writes exactly the
 * bytes it is given, so malformed and pipelined input can be sent as is.
 */
public final class SmtpTestClient implements Closeable {

    /** One (possibly multi-line) SMTP reply. */
    public record Reply(int code, List<String> lines) {
        public String text() {
            return String.join("\n", lines);
        }

        public String last() {
            return lines.get(lines.size() - 1);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private SmtpTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static SmtpTestClient connect(InetSocketAddress address, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        socket.connect(address, timeoutMillis);
        return new SmtpTestClient(socket);
    }

    public Reply readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed before a reply" + (lines.isEmpty() ? "" : " ended: " + lines));
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                int code = Integer.parseInt(line.substring(0, 3));
                return new Reply(code, List.copyOf(lines));
            }
        }
    }

    /** Sends one command line (CRLF appended) and reads its reply. */
    public Reply command(String line) throws IOException {
        write(line + "\r\n");
        return readReply();
    }

    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
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

    public boolean isClosedByPeer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
