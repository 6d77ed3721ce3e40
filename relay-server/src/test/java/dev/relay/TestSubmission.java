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

    /** One message, dot-stuffed here, from EHLO to QUIT; every reply must be positive. */
    static void submit(InetSocketAddress relay, String from, String to, String message) throws IOException {
        try (TestSubmission client = connect(relay)) {
            client.command("EHLO client.test", "250");
            client.command("MAIL FROM:<" + from + ">", "250");
            client.command("RCPT TO:<" + to + ">", "250");
            client.command("DATA", "354");
            client.out.write(message.replace("\r\n.", "\r\n..").getBytes(StandardCharsets.US_ASCII));
            client.command(".", "250");
            client.command("QUIT", "221");
        }
    }

    void command(String line, String expectedCode) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(expectedCode);
    }

    /** Reads one (possibly multi-line) reply and checks its code. */
    void expect(String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            assertThat(line).as("reply").isNotNull().startsWith(code);
        } while (line.charAt(3) == '-');
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
