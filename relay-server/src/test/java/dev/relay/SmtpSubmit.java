package dev.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Hands one message to a running relay's listener, the way an application would, and returns its queue id. */
final class SmtpSubmit {
    private static final String QUEUED_AS = "queued as ";

    private SmtpSubmit() {}

    static String submit(InetSocketAddress relay, String sender, String... recipients) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(relay, 5_000);
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            expect(in, "220");
            command(out, in, "EHLO client.test", "250");
            command(out, in, "MAIL FROM:<" + sender + ">", "250");
            for (String recipient : recipients) {
                command(out, in, "RCPT TO:<" + recipient + ">", "250");
            }
            command(out, in, "DATA", "354");
            String queued = command(out, in, "Subject: status test\r\nFrom: <" + sender + ">\r\n\r\nhello\r\n.", "250");
            command(out, in, "QUIT", "221");
            return queued.substring(queued.indexOf(QUEUED_AS) + QUEUED_AS.length()).strip();
        }
    }

    private static String command(OutputStream out, BufferedReader in, String line, String code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return expect(in, code);
    }

    /** Reads one (possibly multi-line) reply, checks its code, returns its last line. */
    private static String expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            assertThat(line).as("reply").isNotNull().startsWith(code);
        } while (line.charAt(3) == '-');
        return line;
    }
}
