package dev.relay.tlsrpt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Objects;

/**
 * A report as mail (RFC 8460 section 5.3): {@code multipart/report; report-type="tlsrpt"} with a
 * short text part and the gzip'd JSON as an attachment named
 * {@code <submitter>!<policy-domain>!<begin>!<end>.json.gz} (begin and end in seconds since the
 * epoch), the subject {@code Report Domain: <domain> Submitter: <submitter> Report-ID: <<id>>},
 * and the {@code TLS-Report-Domain} and {@code TLS-Report-Submitter} header fields. Pure: the
 * bytes are what goes into the queue.
 */
public final class ReportMail {

    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final String CRLF = "\r\n";

    private ReportMail() {}

    /**
     * @param report the report, for its id and date range
     * @param domain the policy domain reported on
     * @param gzip the report as {@link TlsReportJson#gzip}
     * @param from {@code tls-rpt.report-sender}
     * @param to the {@code mailto:} address of the domain's record
     * @param submitter {@code tls-rpt.submitter}
     * @param now the Date field's time
     * @param messageId a unique Message-ID, without angle brackets
     */
    public static byte[] compose(TlsReport report, String domain, byte[] gzip, String from, String to, String submitter,
            Instant now, String messageId) {
        Objects.requireNonNull(report, "report");
        String boundary = "tlsrpt-" + Integer.toHexString(messageId.hashCode()) + "-" + now.getEpochSecond();
        StringBuilder m = new StringBuilder(gzip.length * 4 / 3 + 2048);
        m.append("From: <").append(from).append('>').append(CRLF)
                .append("To: <").append(to).append('>').append(CRLF)
                .append("Date: ").append(DATE.format(now.atOffset(ZoneOffset.UTC))).append(CRLF)
                .append("Message-ID: <").append(messageId).append('>').append(CRLF)
                .append("Subject: Report Domain: ").append(domain).append(CRLF)
                .append("  Submitter: ").append(submitter).append(CRLF)
                .append("  Report-ID: <").append(report.reportId()).append('>').append(CRLF)
                .append("TLS-Report-Domain: ").append(domain).append(CRLF)
                .append("TLS-Report-Submitter: ").append(submitter).append(CRLF)
                .append("Auto-Submitted: auto-generated").append(CRLF)
                .append("MIME-Version: 1.0").append(CRLF)
                .append("Content-Type: multipart/report; report-type=\"tlsrpt\";").append(CRLF)
                .append("  boundary=\"").append(boundary).append('"').append(CRLF)
                .append(CRLF)
                .append("This is a multipart message in MIME format.").append(CRLF)
                .append(CRLF)
                .append("--").append(boundary).append(CRLF)
                .append("Content-Type: text/plain; charset=us-ascii").append(CRLF)
                .append("Content-Transfer-Encoding: 7bit").append(CRLF)
                .append(CRLF)
                .append("This is an aggregate TLS report (RFC 8460) from ").append(submitter).append(CRLF)
                .append("for ").append(domain).append(", ").append(report.dateRange().startDatetime()).append(" to ")
                .append(report.dateRange().endDatetime()).append('.').append(CRLF)
                .append("Questions: ").append(report.contactInfo()).append(CRLF)
                .append(CRLF)
                .append("--").append(boundary).append(CRLF)
                .append("Content-Type: ").append(TlsReportJson.MEDIA_TYPE_GZIP).append(CRLF)
                .append("Content-Transfer-Encoding: base64").append(CRLF)
                .append("Content-Disposition: attachment;").append(CRLF)
                .append("  filename=\"").append(filename(report, domain, submitter)).append('"').append(CRLF)
                .append(CRLF)
                .append(Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII)).encodeToString(gzip)).append(CRLF)
                .append(CRLF)
                .append("--").append(boundary).append("--").append(CRLF);
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 8460 section 5.3: {@code sender "!" policy-domain "!" begin-timestamp "!" end-timestamp ".json.gz"}. */
    public static String filename(TlsReport report, String domain, String submitter) {
        return submitter + "!" + domain + "!" + report.dateRange().start().getEpochSecond() + "!"
                + report.dateRange().end().getEpochSecond() + ".json.gz";
    }
}
