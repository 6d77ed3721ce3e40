package dev.relay.dsn;

import static dev.relay.dsn.FieldText.CRLF;
import static dev.relay.dsn.FieldText.field;

/** Writes the fields of a {@link DsnReport} in the order of RFC 3464's grammar. */
final class DeliveryStatusWriter {
    private DeliveryStatusWriter() {}

    static String render(DsnReport report, boolean utf8) {
        StringBuilder out = new StringBuilder(512);
        report.originalEnvelopeId().ifPresent(id -> field(out, "Original-Envelope-Id", Xtext.printableOrEncoded(id), utf8));
        field(out, "Reporting-MTA", "dns; " + report.reportingMta(), utf8);
        report.queueId().ifPresent(id -> field(out, "X-Relay-Queue-ID", id.value(), utf8));
        field(out, "Arrival-Date", FieldText.date(report.arrivalDate()), utf8);
        for (RecipientReport recipient : report.recipients()) {
            out.append(CRLF);
            recipient.originalRecipient().ifPresent(original ->
                    field(out, "Original-Recipient", originalRecipient(original, utf8), utf8));
            field(out, "Final-Recipient", addressField(recipient.finalRecipient()), utf8);
            field(out, "Action", recipient.action().label(), utf8);
            field(out, "Status", recipient.status(), utf8);
            recipient.remoteMta().ifPresent(host -> field(out, "Remote-MTA", "dns; " + host, utf8));
            recipient.diagnosticCode().ifPresent(code -> field(out, "Diagnostic-Code", code, utf8));
            recipient.lastAttempt().ifPresent(at -> field(out, "Last-Attempt-Date", FieldText.date(at), utf8));
            recipient.willRetryUntil().ifPresent(at -> field(out, "Will-Retry-Until", FieldText.date(at), utf8));
        }
        return out.toString();
    }

    /** RFC 6533: a non-ASCII address is of type utf-8 (and cleaned to \x{..} outside UTF-8). */
    private static String addressField(String address) {
        return (FieldText.isAscii(address) ? "rfc822; " : "utf-8; ") + address;
    }

    /** ORCPT is kept decoded; what is not printable goes back to xtext, as the client sent it. */
    private static String originalRecipient(String original, boolean utf8) {
        int semicolon = original.indexOf(';');
        if (semicolon < 0) {
            return "rfc822; " + Xtext.printableOrEncoded(original);
        }
        String type = original.substring(0, semicolon).strip();
        String address = original.substring(semicolon + 1).strip();
        if (utf8 && type.equalsIgnoreCase("utf-8")) {
            return type + "; " + address;
        }
        return type + "; " + Xtext.printableOrEncoded(address);
    }
}
