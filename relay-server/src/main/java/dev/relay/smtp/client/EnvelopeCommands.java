package dev.relay.smtp.client;

import dev.relay.queue.BodyType;
import dev.relay.queue.DsnNotify;
import dev.relay.queue.MailParameters;
import dev.relay.queue.RecipientAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The MAIL FROM and RCPT TO lines for a message, with the parameters the remote's EHLO
 * allows: SIZE (RFC 1870), BODY (RFC 6152, RFC 3030), SMTPUTF8 (RFC 6531), REQUIRETLS (RFC
 * 8689; the transaction checked that the server announced it), and the DSN parameters RET,
 * ENVID, NOTIFY, ORCPT (RFC 3461) only when it announced DSN.
 */
final class EnvelopeCommands {

    private EnvelopeCommands() {}

    static String mailFrom(OutboundMessage message, Extensions extensions) {
        MailParameters p = message.parameters();
        StringBuilder line = new StringBuilder(64).append("MAIL FROM:<").append(message.sender()).append('>');
        if (extensions.has("SIZE")) {
            line.append(" SIZE=").append(message.size());
        }
        if (p.body() == BodyType.BINARY_MIME) {
            line.append(" BODY=BINARYMIME");
        } else if (p.body() == BodyType.EIGHT_BIT_MIME && extensions.has("8BITMIME")) {
            // without 8BITMIME the body goes as it is, undeclared: see SmtpConnection
            line.append(" BODY=8BITMIME");
        }
        if (needsSmtpUtf8(message) && extensions.has("SMTPUTF8")) {
            line.append(" SMTPUTF8");
        }
        if (p.requireTls() && extensions.has("REQUIRETLS")) {
            line.append(" REQUIRETLS");
        }
        if (extensions.has("DSN")) {
            p.ret().ifPresent(ret -> line.append(" RET=").append(ret.name()));
            p.envelopeId().ifPresent(id -> line.append(" ENVID=").append(xtext(id)));
        }
        return line.toString();
    }

    static String rcptTo(RecipientAddress recipient, Extensions extensions) {
        StringBuilder line = new StringBuilder(48).append("RCPT TO:<").append(recipient.address()).append('>');
        if (extensions.has("DSN")) {
            notify(recipient).ifPresent(n -> line.append(" NOTIFY=").append(n));
            recipient.originalRecipient().flatMap(EnvelopeCommands::orcpt).ifPresent(o -> line.append(" ORCPT=").append(o));
        }
        return line.toString();
    }

    /** Whether the envelope needs SMTPUTF8: the client asked for it, or an address is not ASCII. */
    static boolean needsSmtpUtf8(OutboundMessage message) {
        if (message.parameters().smtpUtf8() || !isAscii(message.sender())) {
            return true;
        }
        for (RecipientAddress r : message.recipients()) {
            if (!isAscii(r.address())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an address can go into a command line as it is: no controls, no angle brackets,
     * no spaces (the listener checked the syntax; this stops a stored address from ever
     * smuggling a second command onto the wire).
     */
    static boolean safeForWire(String address) {
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '<' || c == '>') {
                return false;
            }
        }
        return true;
    }

    /** RFC 3461 xtext: printable ASCII except '+' and '=' as is, everything else as +HH per UTF-8 byte. */
    static String xtext(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= '!' && c <= '~' && c != '+' && c != '=') {
                out.append((char) c);
            } else {
                out.append('+').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static Optional<String> notify(RecipientAddress recipient) {
        if (recipient.notifyOn().isEmpty()) {
            return Optional.empty();
        }
        if (recipient.notifyOn().contains(DsnNotify.NEVER)) {
            return Optional.of("NEVER");
        }
        StringJoiner values = new StringJoiner(",");
        for (DsnNotify n : new DsnNotify[] {DsnNotify.SUCCESS, DsnNotify.FAILURE, DsnNotify.DELAY}) {
            if (recipient.notifyOn().contains(n)) {
                values.add(n.name());
            }
        }
        return Optional.of(values.toString());
    }

    /** "rfc822;user@example.com" (decoded, as stored) to "rfc822;" + xtext(address). */
    private static Optional<String> orcpt(String stored) {
        int semicolon = stored.indexOf(';');
        if (semicolon <= 0 || semicolon == stored.length() - 1) {
            return Optional.empty();
        }
        String type = stored.substring(0, semicolon).strip();
        if (!type.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-') || !isAscii(type)) {
            return Optional.empty();
        }
        return Optional.of(type + ";" + xtext(stored.substring(semicolon + 1)));
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
