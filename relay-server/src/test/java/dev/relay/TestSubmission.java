package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain SMTP client for tests of the whole relay: one line out, one reply checked. */
final class TestSubmission implements AutoCloseable {
    private static final String QUEUED_AS = "queued as ";
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    private TestSubmission(InetSocketAddress relay) throws IOException {
        socket = new Socket(relay.getAddress(), relay.getPort());
        socket.setSoTimeout(10_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = socket.getOutputStream();
    }

    /** Connects and reads the 220 greeting. */
    static TestSubmission connect(InetSocketAddress relay) throws IOException {
        TestSubmission client = new TestSubmission(relay);
        client.expect("220");
        return client;
    }

    /**
     * One message, dot-stuffed here, from EHLO to QUIT; every reply must be positive.
     *
     * @return the queue id from the 250 reply to the final dot
     */
    static String submit(InetSocketAddress relay, String from, String to, String message) throws IOException {
        try (TestSubmission client = connect(relay)) {
            client.command("EHLO client.test", "250");
            client.command("MAIL FROM:<" + from + ">", "250");
            client.command("RCPT TO:<" + to + ">", "250");
            client.command("DATA", "354");
            client.out.write(message.replace("\r\n.", "\r\n..").getBytes(StandardCharsets.US_ASCII));
            String queued = client.command(".", "250");
            client.command("QUIT", "221");
            return queued.substring(queued.indexOf(QUEUED_AS) + QUEUED_AS.length()).strip();
        }
    }

    /** Sends a line; returns the last line of the reply, whose code must be {@code expectedCode}. */
    String command(String line, String expectedCode) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return expect(expectedCode);
    }

    /** Sends a line; returns the last line of the reply, whatever its code. */
    String send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return expect("");
    }

    /** Sends message content (dot-stuffed here) and the final dot; returns the reply's last line. */
    String sendContent(String message) throws IOException {
        out.write(message.replace("\r\n.", "\r\n..").getBytes(StandardCharsets.US_ASCII));
        return send(".");
    }

    /** Reads one (possibly multi-line) reply, checks its code and returns its last line. */
    String expect(String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            assertThat(line).as("reply").isNotNull().startsWith(code);
        } while (line.charAt(3) == '-');
        return line;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
