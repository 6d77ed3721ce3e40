package dev.relay.dsn;

import static dev.relay.dsn.FieldText.CRLF;

import dev.relay.outcome.Cause;
import dev.relay.outcome.HostProblem;
import dev.relay.outcome.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The first, human-readable part of a DSN: for each recipient, in plain words, what happened
 * and why. People act on this part (the MTA-STS notes ask for DSNs that say in words when the
 * recipient's policy could not be met), so the words are chosen per cause, and the recorded
 * reason follows as the detail.
 */
final class Explanation {
    private Explanation() {}

    private static final int WIDTH = 76;
    private static final String INDENT = "    ";

    static String text(DsnMessage message) {
        boolean utf8 = message.international();
        StringBuilder out = new StringBuilder(1024);
        paragraph(out, "This is the mail delivery system at " + message.report().reportingMta() + ".", "", utf8);
        paragraph(out, intro(message), "", utf8);
        for (RecipientReport recipient : message.report().recipients()) {
            out.append(FieldText.clean("<" + recipient.finalRecipient() + ">:", utf8)).append(CRLF);
            paragraph(out, about(recipient, message), INDENT, utf8);
        }
        paragraph(out, outro(message), "", utf8);
        return out.toString();
    }

    private static String intro(DsnMessage message) {
        return switch (message.kind()) {
            case FAILURE -> "Your message could not be delivered to the recipients below, and the relay has"
                    + " stopped trying. The reason for each of them follows.";
            case DELAY -> "This is only a warning: your message has not been delivered yet to the recipients below,"
                    + " " + elapsed(Duration.between(message.report().arrivalDate(), message.date()))
                    + " after the relay accepted it. The relay is still trying, and will go on until "
                    + message.report().recipients().getFirst().willRetryUntil().map(FieldText::date).orElse("the end")
                    + ". You do not need to send it again.";
            case SUCCESS -> "Your message was handed to the mail servers of the recipients below. Those servers"
                    + " do not send delivery reports themselves, so this is the last news the relay can give.";
        };
    }

    private static String outro(DsnMessage message) {
        String attached = switch (message.returned()) {
            case FULL -> "Your message is attached in full.";
            case HEADERS -> "The header of your message is attached.";
            case NONE -> "Your message could no longer be read, so it is not attached.";
        };
        return attached + " The second part of this message is the same report for mail software (RFC 3464).";
    }

    private static String about(RecipientReport recipient, DsnMessage message) {
        Outcome outcome = recipient.outcome();
        StringBuilder words = new StringBuilder();
        if (outcome instanceof Outcome.Failed failed && failed.expired() && message.kind() == DsnKind.FAILURE) {
            words.append("The message could not be delivered within ").append(duration(message.maxLifetime()))
                    .append(", so the relay has stopped trying. ");
        }
        words.append(cause(recipient, message.kind()));
        Optional<String> remote = outcome.remoteMta();
        if (remote.isEmpty() && !cause(outcome).map(Cause::isTlsPolicy).orElse(false)) {
            words.append(' ').append(LOCAL);
        }
        words.append(' ').append(remote.map(host -> "The last reply, from " + host + ", was: ")
                .orElse("The error was: ")).append(outcome.reply().line());
        return words.toString();
    }

    /** Said of every verdict no remote server gave, so nobody blames the recipient's server for it. */
    static final String LOCAL = "The relay found this itself; it is not a reply from the recipient's mail server.";

    private static Optional<Cause> cause(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Delivered d -> Optional.empty();
            case Outcome.Deferred d -> Optional.of(d.cause());
            case Outcome.Failed f -> Optional.of(f.cause());
        };
    }

    private static List<HostProblem> hosts(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Delivered d -> List.of();
            case Outcome.Deferred d -> d.hosts();
            case Outcome.Failed f -> f.hosts();
        };
    }

    private static String cause(RecipientReport recipient, DsnKind kind) {
        Outcome outcome = recipient.outcome();
        String server = "The recipient's mail server" + outcome.remoteMta().map(h -> " (" + h + ")").orElse("");
        Optional<Cause> cause = cause(outcome);
        if (cause.isEmpty()) {
            return server + " accepted the message.";
        }
        if (outcome.tls().policy().isDane() && !hosts(outcome).isEmpty()) {
            return dane(recipient, kind);
        }
        return switch (cause.get()) {
            case STS_POLICY_NOT_MET, MX_MISMATCH -> mtaSts(recipient, kind);
            case STS_POLICY_UNAVAILABLE -> "Whether the recipient's domain requires encrypted delivery (an MTA-STS"
                    + " policy, RFC 8461) could not be found out, because its DNS did not answer, and the relay does"
                    + " not send mail unprotected on a guess.";
            case STARTTLS_NOT_SUPPORTED, CERTIFICATE_HOST_MISMATCH, CERTIFICATE_EXPIRED, CERTIFICATE_NOT_TRUSTED,
                    VALIDATION_FAILURE, TLSA_INVALID, DNSSEC_INVALID, DANE_REQUIRED, STS_POLICY_FETCH_ERROR,
                    STS_POLICY_INVALID, STS_WEBPKI_INVALID ->
                    "A secure (TLS) connection to the recipient's mail server could not be established: "
                            + TlsResultWords.words(cause.get()) + ".";
            case NO_SUCH_DOMAIN, NO_MAIL_HOST -> "The recipient's domain does not exist, or has no mail server.";
            case NULL_MX -> "The recipient's domain says it does not accept mail (null MX).";
            case DNS_LOOKUP_FAILED -> "The recipient's domain could not be looked up in the DNS (a failure of the"
                    + " lookup, not proof that the domain does not exist).";
            case MX_HOST_UNRESOLVABLE -> "The address of the recipient's mail server could not be found in the DNS.";
            case CONNECT_FAILED -> "No mail server of the recipient's domain could be reached.";
            case TIMED_OUT, CONNECTION_LOST -> "The connection to the recipient's mail server broke off or timed out.";
            case SESSION_REFUSED -> server + " refused to talk to the relay.";
            case PROTOCOL_ERROR -> server + " answered in a way the mail protocol does not allow.";
            case MESSAGE_TOO_BIG -> "The message is larger than the recipient's mail server accepts.";
            case SMTPUTF8_UNSUPPORTED -> "The message needs internationalised addresses or headers (SMTPUTF8), which"
                    + " the recipient's mail server does not support.";
            case BINARYMIME_UNSUPPORTED -> "The message is in binary form (BINARYMIME), which the recipient's mail"
                    + " server does not accept.";
            case ADDRESS_NOT_SENDABLE -> "An address of the message cannot be written in the mail protocol.";
            case REQUIRETLS_UNSUPPORTED -> "The message was sent with REQUIRETLS (RFC 8689): it may only travel"
                    + " over authenticated, encrypted connections, to mail servers that promise to keep it that way."
                    + " The recipient's mail server does not make that promise (it does not offer REQUIRETLS), so the"
                    + " relay did not hand the message over.";
            case REQUIRETLS_NOT_MET -> "The message was sent with REQUIRETLS (RFC 8689): it may only travel over"
                    + " authenticated, encrypted connections. The recipient's domain gives no way to authenticate its"
                    + " mail servers (no MTA-STS policy in enforce mode, no DNSSEC-signed MX records), or none of"
                    + " them met the requirement, so the relay did not hand the message over.";
            case LOCAL_ERROR -> "The relay ran into a problem of its own while delivering.";
            case REMOTE_REPLY, UNCLASSIFIED -> byStatus(outcome, server, kind);
        };
    }

    /** A server's reply (or an old record's) in words, by what its enhanced status is about. */
    private static String byStatus(Outcome outcome, String server, DsnKind kind) {
        String known = switch (outcome.reply().status().about()) {
            case "1.1" -> server + " says this address does not exist.";
            case "1.2" -> "The recipient's domain does not exist, or has no mail server.";
            case "1.10" -> "The recipient's domain says it does not accept mail (null MX).";
            case "2.2" -> "The recipient's mailbox is full.";
            case "3.4" -> "The message is larger than the recipient's mail server accepts.";
            case "4.1" -> "No mail server of the recipient's domain could be reached.";
            case "4.2" -> "The connection to the recipient's mail server broke off or timed out.";
            case "6.7" -> "The message needs internationalised addresses or headers (SMTPUTF8), which the"
                    + " recipient's mail server does not support.";
            default -> null;
        };
        if (known != null) {
            return known;
        }
        if (outcome.remoteMta().isPresent()) {
            return outcome.reply().isPermanent() ? server + " rejected the message."
                    : server + " answered with a temporary error.";
        }
        return kind == DsnKind.DELAY ? "Delivery has not succeeded yet." : "The message could not be delivered.";
    }

    private static String mtaSts(RecipientReport recipient, DsnKind kind) {
        String domain = domainOf(recipient.finalRecipient());
        return unmet(recipient, kind, domain, "The recipient's domain " + domain + " publishes an MTA-STS policy (RFC 8461)"
                + " that requires its mail to go only to the mail servers the policy lists, over an encrypted (TLS)"
                + " connection with a certificate valid for the server's name", "it", "their mail servers or their policy");
    }

    private static String dane(RecipientReport recipient, DsnKind kind) {
        String domain = domainOf(recipient.finalRecipient());
        return unmet(recipient, kind, domain, "The mail servers of the recipient's domain " + domain + " publish DANE"
                + " records (TLSA records signed with DNSSEC, RFC 7672) that require an encrypted (TLS) connection to a"
                + " server whose certificate matches them", "them",
                "their certificates, their TLSA records or their DNSSEC signatures");
    }

    /**
     * What a TLS policy demands ({@code demand}), that no MX host could meet it ({@code it}) with
     * each host's problem, that the relay does not fall back to unprotected delivery, and what the
     * domain's administrators can fix.
     */
    private static String unmet(RecipientReport recipient, DsnKind kind, String domain, String demand, String it,
            String fixes) {
        return demand + ", and " + (kind == DsnKind.DELAY ? "so far " : "") + "no MX host could meet " + it
                + hostDetail(recipient.outcome()) + ". The relay does not send such mail unprotected instead; the"
                + " administrators of " + domain + " can fix " + fixes + ".";
    }

    /** ": mx1.example.com: the server's certificate has expired; mx2...: ...", or nothing. */
    private static String hostDetail(Outcome outcome) {
        List<HostProblem> hosts = hosts(outcome);
        return hosts.isEmpty() ? "" : ": " + hosts.stream()
                .map(h -> h.host() + ": " + TlsResultWords.words(h.cause()))
                .distinct()
                .collect(Collectors.joining("; "));
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(at + 1);
    }

    /** "5 days", "4 hours", "90 minutes". */
    static String duration(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes > 0 && minutes % (24 * 60) == 0) {
            return plural(minutes / (24 * 60), "day");
        }
        if (minutes > 0 && minutes % 60 == 0) {
            return plural(minutes / 60, "hour");
        }
        if (minutes > 0) {
            return plural(minutes, "minute");
        }
        return plural(duration.toSeconds(), "second");
    }

    /** "4 hours", "4 hours 10 minutes", "2 days 3 hours": the two largest units, for a time waited. */
    static String elapsed(Duration duration) {
        long[] amounts = {duration.toDaysPart(), duration.toHoursPart(), duration.toMinutesPart()};
        String[] units = {"day", "hour", "minute"};
        int first = 0;
        while (first < amounts.length && amounts[first] <= 0) {
            first++;
        }
        if (first == amounts.length) {
            return plural(Math.max(0, duration.toSeconds()), "second");
        }
        String words = plural(amounts[first], units[first]);
        int next = first + 1;
        return next < amounts.length && amounts[next] > 0 ? words + " " + plural(amounts[next], units[next]) : words;
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }

    private static void paragraph(StringBuilder out, String text, String indent, boolean utf8) {
        for (String line : FieldText.wrap(FieldText.clean(text, utf8), WIDTH - indent.length(), 0)) {
            out.append(indent).append(line).append(CRLF);
        }
        out.append(CRLF);
    }
}
