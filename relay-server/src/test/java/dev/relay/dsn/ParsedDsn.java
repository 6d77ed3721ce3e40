package dev.relay.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** A composed DSN read back with Jakarta Mail, after the line checks every DSN must pass. */
final class ParsedDsn {
    final byte[] bytes;
    final MimeMessage message;
    final MimeMultipart report;

    private ParsedDsn(byte[] bytes) throws MessagingException, IOException {
        this.bytes = bytes;
        this.message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
        this.report = (MimeMultipart) message.getContent();
    }

    static ParsedDsn of(byte[] bytes) {
        assertLines(bytes);
        try {
            ParsedDsn parsed = new ParsedDsn(bytes);
            assertThat(parsed.message.isMimeType("multipart/report")).as("multipart/report").isTrue();
            return parsed;
        } catch (MessagingException e) {
            throw new AssertionError("not a MIME message: " + e, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line ends in CRLF (no bare CR or LF anywhere) and has at most 998 octets. */
    static void assertLines(byte[] bytes) {
        assertThat(bytes.length).isGreaterThan(2);
        assertThat(new String(bytes, bytes.length - 2, 2, StandardCharsets.ISO_8859_1)).isEqualTo("\r\n");
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\r') {
                assertThat(i + 1 < bytes.length && bytes[i + 1] == '\n').as("bare CR at offset %d", i).isTrue();
            } else if (bytes[i] == '\n') {
                assertThat(i > 0 && bytes[i - 1] == '\r').as("bare LF at offset %d", i).isTrue();
                assertThat(i - 1 - lineStart).as("octets of the line at offset %d", lineStart).isLessThanOrEqualTo(998);
                lineStart = i + 1;
            }
        }
    }

    int partCount() throws MessagingException {
        return report.getCount();
    }

    BodyPart part(int index) throws MessagingException {
        return report.getBodyPart(index);
    }

    /** A part's bytes exactly as they sit between its header and the next boundary. */
    byte[] raw(int index) throws MessagingException, IOException {
        return ((MimeBodyPart) report.getBodyPart(index)).getRawInputStream().readAllBytes();
    }

    String rawText(int index) throws MessagingException, IOException {
        return new String(raw(index), StandardCharsets.UTF_8);
    }

    /** The human part with line breaks and indentation turned into single spaces. */
    String words() throws MessagingException, IOException {
        return rawText(0).replaceAll("\\s+", " ");
    }

    String header(String name) throws MessagingException {
        return message.getHeader(name, ",");
    }

    String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
