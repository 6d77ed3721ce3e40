package dev.relay.dsn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recipient's recorded reason, read for a DSN. The queue keeps reasons as free text: a remote
 * reply ({@code 550 5.1.1 <bob@x>: no such user}), the delivery code's own wording of a failure
 * ({@code 451 4.4.1 connect to mx.example[192.0.2.1]:25: Connection refused}), a local reason
 * ({@code 4.4.3 DNS lookup failed for example.com: SERVFAIL}), or the queue's expiry text
 * ({@code delivery time expired: ...; last reply: <reason>}). Parsing never fails: what it
 * cannot recognise stays text, and the DSN falls back to a status derived from the action.
 * Whose words a reason is (a remote server's, or the relay's) is not guessed from the text: the
 * queue records it beside the reason ({@code RecipientStatus.remoteMta()}).
 *
 * @param text the reason exactly as recorded
 * @param expired whether this is the end of the queue lifetime rather than a verdict
 * @param lastReply for an expiry, the reason of the last attempt; otherwise {@code text}
 * @param reply {@code lastReply} from its reply code on (what an {@code smtp;} Diagnostic-Code
 *     carries); all of {@code lastReply} when it has no reply code
 * @param replyCode the SMTP reply code {@code lastReply} starts with (or follows {@code said:})
 * @param enhancedStatus the RFC 3463 code of {@code lastReply}, when it carries one
 */
public record Reason(String text, boolean expired, String lastReply, String reply, OptionalInt replyCode,
        Optional<String> enhancedStatus) {

    /** The status RFC 3463 has for "delivery time expired". */
    public static final String EXPIRED_STATUS = "4.4.7";

    private static final Pattern REPLY = Pattern.compile("([245][0-9][0-9])(?:[ -]+|$)");
    private static final Pattern STATUS = Pattern.compile("([245])\\.([0-9]{1,3})\\.([0-9]{1,3})(?=[\\s:;,]|$)");
    private static final String SAID = "said:";
    private static final String LAST_REPLY = "last reply:";
    private static final String EXPIRED_PREFIX = "delivery time expired";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern POLICY_DOMAIN = Pattern.compile(
            "MTA-STS policy (?:of|for) (" + LABEL + "(?:\\." + LABEL + ")+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern MTA_STS = Pattern.compile("MTA-STS", Pattern.CASE_INSENSITIVE);

    public Reason {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(lastReply, "lastReply");
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(replyCode, "replyCode");
        Objects.requireNonNull(enhancedStatus, "enhancedStatus");
    }

    /** Reads a recorded reason; never fails. */
    public static Reason parse(String text) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        boolean expired = trimmed.regionMatches(true, 0, EXPIRED_PREFIX, 0, EXPIRED_PREFIX.length());
        String last = trimmed;
        if (expired) {
            int at = indexOfIgnoreCase(trimmed, LAST_REPLY);
            if (at >= 0) {
                last = trimmed.substring(at + LAST_REPLY.length()).strip();
            }
        }
        OptionalInt code = OptionalInt.empty();
        Optional<String> status = Optional.empty();
        String reply = last;
        // the verdict sits at the start, or after "said:" when the delivery code named the peer
        int said = indexOfIgnoreCase(last, SAID);
        for (int start : said >= 0 ? new int[] {0, said + SAID.length()} : new int[] {0}) {
            String from = last.substring(start).stripLeading();
            Matcher replyCode = REPLY.matcher(from);
            if (replyCode.lookingAt()) {
                code = OptionalInt.of(Integer.parseInt(replyCode.group(1)));
                reply = from;
                status = statusAt(from, replyCode.end())
                        // RFC 3463: a code whose class disagrees with the reply is just text
                        .filter(s -> s.charAt(0) == replyCode.group(1).charAt(0));
            } else {
                status = statusAt(from, 0);
            }
            if (code.isPresent() || status.isPresent()) {
                break;
            }
        }
        // a reason that says x.4.7 itself is an expiry too, whoever wrote it
        expired |= status.map(s -> s.substring(1)).filter(".4.7"::equals).isPresent();
        return new Reason(text, expired, last, reply, code, status);
    }

    private static Optional<String> statusAt(String text, int from) {
        Matcher status = STATUS.matcher(text);
        status.region(from, text.length());
        return status.lookingAt() ? Optional.of(status.group()) : Optional.empty();
    }

    /** Whether the reason is the recipient domain's MTA-STS policy (RFC 8461) not being met. */
    public boolean mtaSts() {
        return MTA_STS.matcher(lastReply).find();
    }

    /** The policy domain named as "MTA-STS policy of DOMAIN", when the reason names it. */
    public Optional<String> policyDomain() {
        Matcher domain = POLICY_DOMAIN.matcher(lastReply);
        return domain.find() ? Optional.of(domain.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** An RFC 8460 result type the reason mentions, with the MX host it names before it, if any. */
    record TlsResult(Optional<String> host, String type) {}

    private static final Pattern TLS_RESULT = Pattern.compile(
            "(?:(" + LABEL + "(?:\\." + LABEL + ")+)\\.?:\\s*)?\\b("
                    + String.join("|", TlsResultWords.TYPES) + ")\\b",
            Pattern.CASE_INSENSITIVE);

    /** The RFC 8460 result types the reason mentions, in its order, e.g. {@code mx1.example.com: certificate-expired}. */
    List<TlsResult> tlsResults() {
        List<TlsResult> found = new ArrayList<>();
        Matcher result = TLS_RESULT.matcher(lastReply);
        while (result.find()) {
            found.add(new TlsResult(Optional.ofNullable(result.group(1)).map(h -> h.toLowerCase(Locale.ROOT)),
                    result.group(2).toLowerCase(Locale.ROOT)));
        }
        return found;
    }

    /** Just the result types of {@link #tlsResults()}, without repeats. */
    public List<String> tlsResultTypes() {
        return tlsResults().stream().map(TlsResult::type).distinct().toList();
    }

    /**
     * The Status field for a block with this action: 4.4.7 for an expiry, else the reason's own
     * enhanced code when it fits the action, else the reply code's class, else the action's
     * default (5.0.0, 4.0.0, 2.0.0).
     */
    public String status(DsnAction action) {
        if (expired && action == DsnAction.FAILED) {
            return EXPIRED_STATUS;
        }
        if (enhancedStatus.isPresent() && action.fits(enhancedStatus.get().charAt(0))) {
            return enhancedStatus.get();
        }
        if (replyCode.isPresent()) {
            char statusClass = Character.forDigit(replyCode.getAsInt() / 100, 10);
            if (action.fits(statusClass)) {
                return statusClass + ".0.0";
            }
        }
        return action.fallbackStatus();
    }

    /** The subject and detail of the enhanced code ({@code 1.1} of {@code 5.1.1}), when there is one. */
    Optional<String> statusDetail() {
        return enhancedStatus.map(s -> s.substring(2));
    }

    /** Index of an ASCII word, case-insensitively, without changing the text's length as lower-casing may. */
    private static int indexOfIgnoreCase(String text, String word) {
        for (int i = 0; i + word.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, word, 0, word.length())) {
                return i;
            }
        }
        return -1;
    }
}
