package dev.relay.smtp.server;

import dev.relay.queue.QueueId;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/** The header fields the listener writes: Received (RFC 5321 4.4), and Date and Message-ID (RFC 6409 8). */
final class TraceFields {
    /** RFC 5322 3.3 date-time with a numeric zone (never the obsolete "GMT"). */
    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

    private TraceFields() {}

    /**
     * What the Received field says about one transaction.
     *
     * @param protocol SMTP, ESMTP, ESMTPS, ESMTPA or ESMTPSA (RFC 3848)
     * @param tls e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384", when TLS was used
     * @param singleRecipient named in the "for" clause only when there is exactly one
     */
    record Stamp(
            String heloName,
            InetAddress client,
            String hostname,
            String protocol,
            Optional<String> tls,
            QueueId id,
            Optional<String> singleRecipient,
            ZonedDateTime when) {}

    static byte[] received(Stamp stamp) {
        StringBuilder field = new StringBuilder(256);
        field.append("Received: from ").append(stamp.heloName())
                .append(" (").append(addressLiteral(stamp.client())).append(")\r\n");
        field.append("\tby ").append(stamp.hostname()).append(" with ").append(stamp.protocol());
        stamp.tls().ifPresent(tls -> field.append(" (").append(tls).append(')'));
        field.append("\r\n\tid ").append(stamp.id().value());
        stamp.singleRecipient().ifPresent(rcpt -> field.append("\r\n\tfor <").append(rcpt).append('>'));
        field.append(";\r\n\t").append(date(stamp.when())).append("\r\n");
        return field.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The last date formatted: the Received field of every message needs one, and most share a second. */
    private record FormattedDate(long epochSecond, java.time.ZoneOffset offset, String text) {}

    private static volatile FormattedDate lastDate = new FormattedDate(Long.MIN_VALUE, java.time.ZoneOffset.UTC, "");

    static String date(ZonedDateTime when) {
        FormattedDate last = lastDate;
        // the text shows whole seconds and the offset: equal in both means equal text
        if (last.epochSecond() == when.toEpochSecond() && last.offset().equals(when.getOffset())) {
            return last.text();
        }
        String text = RFC5322.format(when);
        lastDate = new FormattedDate(when.toEpochSecond(), when.getOffset(), text);
        return text;
    }

    static byte[] dateField(ZonedDateTime when) {
        return ("Date: " + date(when) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] messageIdField(QueueId id, String hostname) {
        return ("Message-ID: <" + id.value() + "@" + hostname + ">\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 5321 4.1.3: [192.0.2.1] or [IPv6:2001:db8::1]. */
    static String addressLiteral(InetAddress address) {
        InetAddress plain = RelayNetworks.unmapped(address);
        String text = NetUtil.toAddressString(plain);
        return plain instanceof Inet6Address ? "[IPv6:" + text + "]" : "[" + text + "]";
    }
}
