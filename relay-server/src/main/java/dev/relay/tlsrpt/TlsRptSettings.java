package dev.relay.tlsrpt;

import java.util.Objects;

/**
 * The {@code tls-rpt.*} configuration, as TLS reporting takes it.
 *
 * @param enabled whether sessions are counted and reports sent
 * @param organizationName the report's {@code organization-name}
 * @param contactInfo the report's {@code contact-info}: an address or URI for questions
 * @param reportSender the From address of report mail (RFC 8460 section 5.3)
 * @param submitter the {@code TLS-Report-Submitter} domain; also the right side of report ids
 * @param sendByHour reports of a day all leave between UTC midnight and this hour (1 to 23),
 *     each after a random delay (RFC 8460 section 4.1 asks senders to spread them)
 */
public record TlsRptSettings(boolean enabled, String organizationName, String contactInfo, String reportSender,
        String submitter, int sendByHour) {

    public TlsRptSettings {
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(contactInfo, "contactInfo");
        Objects.requireNonNull(reportSender, "reportSender");
        Objects.requireNonNull(submitter, "submitter");
        if (sendByHour < 1 || sendByHour > 23) {
            throw new IllegalArgumentException("sendByHour is 1 to 23, got " + sendByHour);
        }
    }
}
