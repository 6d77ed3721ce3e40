package dev.relay.delivery.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A message {@link TestMx} accepted (its end-of-data reply was 2xx).
 *
 * @param connection which accepted connection carried it (1 for the first)
 * @param mailFrom everything after {@code MAIL FROM:} as received, e.g. {@code <a@b.test> SIZE=120}
 * @param rcptTo everything after {@code RCPT TO:} for each accepted recipient, in order
 * @param body the content as the server recovers it: dot-unstuffed, CRLFs kept, the final
 *     CRLF before the terminating dot included (for BDAT: exactly the chunk bytes)
 * @param tls whether the transaction ran over TLS
 * @param tlsProtocol e.g. TLSv1.3
 * @param sni the server name the client asked for in its TLS handshake
 */
public record ReceivedMessage(
        int connection,
        String mailFrom,
        List<String> rcptTo,
        byte[] body,
        boolean tls,
        Optional<String> tlsProtocol,
        Optional<String> sni) {

    public ReceivedMessage {
        rcptTo = List.copyOf(rcptTo);
        body = body.clone();
    }

    /** The reverse path, without angle brackets. */
    public String sender() {
        return path(mailFrom);
    }

    /** The MAIL FROM parameters after the path, e.g. {@code SIZE=120 BODY=8BITMIME}; empty when none. */
    public String mailParameters() {
        return parameters(mailFrom);
    }

    /** The recipients' addresses, without angle brackets. */
    public List<String> recipients() {
        return rcptTo.stream().map(ReceivedMessage::path).toList();
    }

    /** The parameters after each recipient's path. */
    public List<String> rcptParameters() {
        return rcptTo.stream().map(ReceivedMessage::parameters).toList();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    private static String path(String arguments) {
        int open = arguments.indexOf('<');
        int close = arguments.indexOf('>', open + 1);
        return open < 0 || close < 0 ? arguments.strip() : arguments.substring(open + 1, close);
    }

    private static String parameters(String arguments) {
        int close = arguments.indexOf('>');
        return close < 0 ? "" : arguments.substring(close + 1).strip();
    }
}
