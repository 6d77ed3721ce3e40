package dev.relay.smtp.server;

import dev.relay.queue.BodyType;
import dev.relay.queue.DsnNotify;
import dev.relay.queue.DsnReturn;
import dev.relay.queue.MailParameters;
import dev.relay.queue.RecipientAddress;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Parses the arguments of MAIL FROM and RCPT TO: the path and the ESMTP parameters
 * (SIZE RFC 1870, BODY RFC 6152/3030, SMTPUTF8 RFC 6531, RET/ENVID/NOTIFY/ORCPT RFC 3461,
 * AUTH RFC 4954, REQUIRETLS RFC 8689). Pure functions: no session state.
 */
final class EnvelopeArguments {
    private static final int MAX_ENVID = 100;
    private static final int MAX_ORCPT = 500;

    private EnvelopeArguments() {}

    /** The outcome of parsing a MAIL FROM argument. */
    sealed interface MailResult {}

    record Sender(String address, MailParameters parameters) implements MailResult {}

    /** A refused MAIL or RCPT, with the rejection reason when it is a policy matter. */
    record Refused(Reply reply, Optional<RejectReason> reason) implements MailResult, RcptResult {
        static Refused syntax(Reply reply) {
            return new Refused(reply, Optional.empty());
        }
    }

    /** The outcome of parsing a RCPT TO argument. */
    sealed interface RcptResult {}

    record Recipient(Mailbox mailbox, RecipientAddress address) implements RcptResult {}

    /** Whether the session takes the REQUIRETLS parameter (RFC 8689). */
    enum RequireTlsOffer {
        /** Announced (inside TLS): taken. */
        OFFERED,
        /** Not announced yet: the session is not in TLS. A named refusal says why. */
        NEEDS_TLS,
        /** Not offered on this relay ({@code delivery.requiretls: false}): an unknown parameter. */
        OFF
    }

    /** As {@link #parseMail(String, long, boolean, RequireTlsOffer)} where REQUIRETLS is not offered. */
    static MailResult parseMail(String argument, long maxSize, boolean binaryMime) {
        return parseMail(argument, maxSize, binaryMime, RequireTlsOffer.OFF);
    }

    /**
     * @param maxSize the listener's size limit in bytes; 0 for none
     * @param binaryMime whether BODY=BINARYMIME may be accepted (CHUNKING is offered)
     * @param requireTls whether the REQUIRETLS parameter may be accepted
     */
    static MailResult parseMail(String argument, long maxSize, boolean binaryMime, RequireTlsOffer requireTls) {
        OptionalInt at = pathStart(argument, "FROM:");
        if (at.isEmpty()) {
            return Refused.syntax(Replies.SYNTAX_MAIL);
        }
        Optional<PathParser.Parsed> path = PathParser.parse(argument, at.getAsInt());
        if (path.isEmpty() || path.get().mailbox().map(Mailbox::isBarePostmaster).orElse(false)) {
            return Refused.syntax(Replies.BAD_SENDER);
        }
        Optional<Map<String, Optional<String>>> parameters = splitParameters(argument, path.get().end());
        if (parameters.isEmpty()) {
            return Refused.syntax(Replies.BAD_PARAMETER);
        }
        OptionalLong size = OptionalLong.empty();
        BodyType body = BodyType.SEVEN_BIT;
        boolean smtpUtf8 = false;
        Optional<DsnReturn> ret = Optional.empty();
        Optional<String> envelopeId = Optional.empty();
        boolean requireTlsGiven = false;
        for (Map.Entry<String, Optional<String>> parameter : parameters.get().entrySet()) {
            Optional<String> value = parameter.getValue();
            switch (parameter.getKey()) {
                case "SIZE" -> {
                    if (value.isEmpty() || !isDigits(value.get(), 20)) {
                        return Refused.syntax(Replies.BAD_PARAMETER);
                    }
                    long declared = parseSaturating(value.get());
                    if (maxSize > 0 && declared > maxSize) {
                        return new Refused(Replies.MESSAGE_TOO_BIG, Optional.of(RejectReason.MESSAGE_TOO_BIG));
                    }
                    size = OptionalLong.of(declared);
                }
                case "BODY" -> {
                    Optional<BodyType> type = value.flatMap(BodyType::fromKeyword);
                    if (type.isEmpty() || (type.get() == BodyType.BINARY_MIME && !binaryMime)) {
                        return Refused.syntax(Replies.BAD_PARAMETER);
                    }
                    body = type.get();
                }
                case "SMTPUTF8" -> {
                    if (value.isPresent()) {
                        return Refused.syntax(Replies.BAD_PARAMETER);
                    }
                    smtpUtf8 = true;
                }
                case "RET" -> {
                    Optional<DsnReturn> parsed = value.flatMap(EnvelopeArguments::dsnReturn);
                    if (parsed.isEmpty()) {
                        return Refused.syntax(Replies.BAD_PARAMETER);
                    }
                    ret = parsed;
                }
                case "ENVID" -> {
                    Optional<String> decoded = value.flatMap(Xtext::decode);
                    if (decoded.isEmpty() || decoded.get().length() > MAX_ENVID) {
                        return Refused.syntax(Replies.BAD_PARAMETER);
                    }
                    envelopeId = decoded;
                }
                case "REQUIRETLS" -> {
                    switch (requireTls) {
                        case OFF -> {
                            return Refused.syntax(Replies.UNKNOWN_PARAMETER);
                        }
                        case NEEDS_TLS -> {
                            return new Refused(Replies.REQUIRETLS_NEEDS_TLS, Optional.of(RejectReason.TLS_REQUIRED));
                        }
                        case OFFERED -> {
                            if (value.isPresent()) {
                                return Refused.syntax(Replies.BAD_PARAMETER);
                            }
                            requireTlsGiven = true;
                        }
                    }
                }
                case "AUTH" -> {
                    // RFC 4954 5: accepted; we do not trust a submitter's claim about the original sender
                    if (value.isEmpty() || (!value.get().equals("<>") && Xtext.decode(value.get()).isEmpty())) {
                        return Refused.syntax(Replies.BAD_PARAMETER);
                    }
                }
                default -> {
                    return Refused.syntax(Replies.UNKNOWN_PARAMETER);
                }
            }
        }
        if (path.get().nonAscii() && !smtpUtf8) {
            return Refused.syntax(Replies.NON_ASCII_ADDRESS);
        }
        String sender = path.get().mailbox().map(Mailbox::address).orElse("");
        return new Sender(sender, new MailParameters(size, body, smtpUtf8, ret, envelopeId).withRequireTls(requireTlsGiven));
    }

    /** @param smtpUtf8 whether the transaction's MAIL carried SMTPUTF8 */
    static RcptResult parseRcpt(String argument, boolean smtpUtf8) {
        OptionalInt at = pathStart(argument, "TO:");
        if (at.isEmpty()) {
            return Refused.syntax(Replies.SYNTAX_RCPT);
        }
        Optional<PathParser.Parsed> path = PathParser.parse(argument, at.getAsInt());
        if (path.isEmpty() || path.get().mailbox().isEmpty()) {
            return Refused.syntax(Replies.BAD_RECIPIENT);
        }
        Optional<Map<String, Optional<String>>> parameters = splitParameters(argument, path.get().end());
        if (parameters.isEmpty()) {
            return Refused.syntax(Replies.BAD_PARAMETER);
        }
        Set<DsnNotify> notify = Set.of();
        Optional<String> original = Optional.empty();
        for (Map.Entry<String, Optional<String>> parameter : parameters.get().entrySet()) {
            Optional<String> value = parameter.getValue();
            switch (parameter.getKey()) {
                case "NOTIFY" -> {
                    Optional<Set<DsnNotify>> parsed = value.flatMap(EnvelopeArguments::notify);
                    if (parsed.isEmpty()) {
                        return Refused.syntax(Replies.BAD_PARAMETER);
                    }
                    notify = parsed.get();
                }
                case "ORCPT" -> {
                    Optional<String> parsed = value.flatMap(EnvelopeArguments::originalRecipient);
                    if (parsed.isEmpty()) {
                        return Refused.syntax(Replies.BAD_PARAMETER);
                    }
                    original = parsed;
                }
                default -> {
                    return Refused.syntax(Replies.UNKNOWN_PARAMETER);
                }
            }
        }
        if (path.get().nonAscii() && !smtpUtf8) {
            return Refused.syntax(Replies.NON_ASCII_ADDRESS);
        }
        Mailbox mailbox = path.get().mailbox().get();
        return new Recipient(mailbox, new RecipientAddress(mailbox.address(), notify, original));
    }

    /**
     * esmtp-param = esmtp-keyword ["=" esmtp-value], separated by spaces; keywords upper-cased.
     * Empty when the syntax is wrong or a keyword repeats.
     */
    private static Optional<Map<String, Optional<String>>> splitParameters(String argument, int from) {
        Map<String, Optional<String>> parameters = new LinkedHashMap<>();
        if (from < argument.length() && argument.charAt(from) != ' ') {
            return Optional.empty();
        }
        for (String token : argument.substring(from).split(" ", -1)) {
            if (token.isEmpty()) {
                continue;
            }
            String[] keywordAndValue = token.split("=", 2);
            String keyword = keywordAndValue[0].toUpperCase(Locale.ROOT);
            if (!isKeyword(keyword)) {
                return Optional.empty();
            }
            Optional<String> value = Optional.empty();
            if (keywordAndValue.length == 2) {
                if (!isValue(keywordAndValue[1])) {
                    return Optional.empty();
                }
                value = Optional.of(keywordAndValue[1]);
            }
            if (parameters.put(keyword, value) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }

    private static boolean isKeyword(String keyword) {
        if (keyword.isEmpty() || !isAlnum(keyword.charAt(0))) {
            return false;
        }
        return keyword.chars().allMatch(c -> isAlnum((char) c) || c == '-');
    }

    /** esmtp-value = 1*(%d33-60 / %d62-126), plus UTF-8 under RFC 6531 (not the C1 controls, U+0080 to U+009F). */
    private static boolean isValue(String value) {
        return !value.isEmpty()
                && value.chars().allMatch(c -> (c >= 33 && c <= 126 && c != '=') || c >= 0xA0);
    }

    private static boolean isAlnum(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean isDigits(String text, int maxLength) {
        return !text.isEmpty() && text.length() <= maxLength && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static long parseSaturating(String digits) {
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    private static Optional<DsnReturn> dsnReturn(String value) {
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "FULL" -> Optional.of(DsnReturn.FULL);
            case "HDRS" -> Optional.of(DsnReturn.HDRS);
            default -> Optional.empty();
        };
    }

    /** NOTIFY = "NEVER" / 1#( "SUCCESS" / "FAILURE" / "DELAY" ). */
    private static Optional<Set<DsnNotify>> notify(String value) {
        Set<DsnNotify> values = EnumSet.noneOf(DsnNotify.class);
        for (String item : value.split(",", -1)) {
            switch (item.toUpperCase(Locale.ROOT)) {
                case "NEVER" -> values.add(DsnNotify.NEVER);
                case "SUCCESS" -> values.add(DsnNotify.SUCCESS);
                case "FAILURE" -> values.add(DsnNotify.FAILURE);
                case "DELAY" -> values.add(DsnNotify.DELAY);
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (values.contains(DsnNotify.NEVER) && values.size() > 1) {
            return Optional.empty();
        }
        return Optional.of(values);
    }

    /** ORCPT = addr-type ";" xtext; kept as "addr-type;decoded". */
    private static Optional<String> originalRecipient(String value) {
        String[] typeAndAddress = value.split(";", 2);
        if (typeAndAddress.length != 2 || !isKeyword(typeAndAddress[0])) {
            return Optional.empty();
        }
        return Xtext.decode(typeAndAddress[1])
                .filter(decoded -> !decoded.isEmpty() && decoded.length() <= MAX_ORCPT)
                .map(decoded -> typeAndAddress[0] + ";" + decoded);
    }

    /**
     * Where the path begins: after {@code keyword} ("FROM:" or "TO:", any case) and the blanks
     * some clients put after it, at a "<". Empty when the argument does not start that way.
     */
    private static OptionalInt pathStart(String argument, String keyword) {
        if (!argument.regionMatches(true, 0, keyword, 0, keyword.length())) {
            return OptionalInt.empty();
        }
        int at = skipBlanks(argument, keyword.length());
        return at < argument.length() && argument.charAt(at) == '<' ? OptionalInt.of(at) : OptionalInt.empty();
    }

    private static int skipBlanks(String text, int from) {
        int at = from;
        while (at < text.length() && text.charAt(at) == ' ') {
            at++;
        }
        return at;
    }
}
