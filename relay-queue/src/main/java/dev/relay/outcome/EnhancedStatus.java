package dev.relay.outcome;

import java.util.Optional;

/**
 * An RFC 3463 enhanced status code, {@code class.subject.detail}. The codes the relay gives
 * itself are named here, once; a remote server's code is kept as it came.
 */
public record EnhancedStatus(int statusClass, int subject, int detail) {

    public static final EnhancedStatus SUCCESS = new EnhancedStatus(2, 0, 0);
    public static final EnhancedStatus TEMPORARY = new EnhancedStatus(4, 0, 0);
    public static final EnhancedStatus PERMANENT = new EnhancedStatus(5, 0, 0);

    /** 5.1.2: the destination domain does not exist. */
    public static final EnhancedStatus BAD_DESTINATION_SYSTEM = new EnhancedStatus(5, 1, 2);
    /** 5.1.3: the recipient address cannot be written in SMTP. */
    public static final EnhancedStatus BAD_RECIPIENT_SYNTAX = new EnhancedStatus(5, 1, 3);
    /** 5.1.7: the sender address cannot be written in SMTP. */
    public static final EnhancedStatus BAD_SENDER_SYNTAX = new EnhancedStatus(5, 1, 7);
    /** 5.1.10 (RFC 7505): the domain publishes a null MX. */
    public static final EnhancedStatus NULL_MX = new EnhancedStatus(5, 1, 10);
    /** 4.3.0: the relay itself failed. */
    public static final EnhancedStatus SYSTEM_ERROR = new EnhancedStatus(4, 3, 0);
    /** 5.3.4: the message is larger than the next hop takes. */
    public static final EnhancedStatus MESSAGE_TOO_BIG = new EnhancedStatus(5, 3, 4);
    /** 4.4.1: no answer from the host. */
    public static final EnhancedStatus NO_ANSWER = new EnhancedStatus(4, 4, 1);
    /** 4.4.2: the connection broke or timed out. */
    public static final EnhancedStatus BAD_CONNECTION = new EnhancedStatus(4, 4, 2);
    /** 4.4.3: the directory (DNS) needed for routing failed. */
    public static final EnhancedStatus DIRECTORY_FAILURE = new EnhancedStatus(4, 4, 3);
    /** 4.4.4: no route: a host without an address. */
    public static final EnhancedStatus UNABLE_TO_ROUTE = new EnhancedStatus(4, 4, 4);
    /** 5.4.4: no route at all: no MX and no address. */
    public static final EnhancedStatus NO_ROUTE = new EnhancedStatus(5, 4, 4);
    /** 4.4.7: the queue lifetime is over. */
    public static final EnhancedStatus DELIVERY_TIME_EXPIRED = new EnhancedStatus(4, 4, 7);
    /** 4.5.0: the server broke the protocol. */
    public static final EnhancedStatus PROTOCOL_ERROR = new EnhancedStatus(4, 5, 0);
    /** 5.6.3: the content needs a conversion the next hop cannot take (BINARYMIME). */
    public static final EnhancedStatus CONVERSION_REQUIRED = new EnhancedStatus(5, 6, 3);
    /** 5.6.7 (RFC 6531): SMTPUTF8 needed but not offered. */
    public static final EnhancedStatus NON_ASCII_ADDRESSES = new EnhancedStatus(5, 6, 7);
    /** 4.7.4: a security feature (STARTTLS) the policy needs is not supported. */
    public static final EnhancedStatus SECURITY_NOT_SUPPORTED = new EnhancedStatus(4, 7, 4);
    /** 4.7.5: cryptographic failure: TLS or its authentication failed. */
    public static final EnhancedStatus CRYPTOGRAPHIC_FAILURE = new EnhancedStatus(4, 7, 5);
    /** 5.7.30 (RFC 8689): the message demands REQUIRETLS, and no route meets it. */
    public static final EnhancedStatus REQUIRETLS_NEEDED = new EnhancedStatus(5, 7, 30);

    public EnhancedStatus {
        if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
            throw new IllegalArgumentException("not an enhanced status class: " + statusClass);
        }
        if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
            throw new IllegalArgumentException("enhanced status out of range: " + subject + "." + detail);
        }
    }

    /** The bare class, {@code 2.0.0}, {@code 4.0.0} or {@code 5.0.0}, for a reply code that came without one. */
    public static EnhancedStatus ofReplyClass(int replyCode) {
        return switch (replyCode / 100) {
            case 2 -> SUCCESS;
            case 5 -> PERMANENT;
            default -> TEMPORARY;
        };
    }

    /**
     * Reads {@code text[start, end)} as {@code [245].ddd.ddd} (one to three digits each).
     * Written out rather than a regular expression: every remote reply goes through it.
     */
    public static Optional<EnhancedStatus> parse(String text, int start, int end) {
        if (end - start < 5 || end > text.length() || "245".indexOf(text.charAt(start)) < 0
                || text.charAt(start + 1) != '.') {
            return Optional.empty();
        }
        int dot = text.indexOf('.', start + 2);
        if (dot < 0 || dot >= end) {
            return Optional.empty();
        }
        int subject = number(text, start + 2, dot);
        int detail = number(text, dot + 1, end);
        if (subject < 0 || detail < 0) {
            return Optional.empty();
        }
        return Optional.of(new EnhancedStatus(text.charAt(start) - '0', subject, detail));
    }

    public static Optional<EnhancedStatus> parse(String text) {
        return parse(text, 0, text.length());
    }

    /** The same subject and detail in another class: a remote 5.x.x refusal of a session is retried as 4.x.x. */
    public EnhancedStatus withClass(int newClass) {
        return newClass == statusClass ? this : new EnhancedStatus(newClass, subject, detail);
    }

    public boolean isSuccess() {
        return statusClass == 2;
    }

    public boolean isPermanent() {
        return statusClass == 5;
    }

    /** {@code subject.detail}, e.g. {@code 1.1} of {@code 5.1.1}: what it is about, whatever the class. */
    public String about() {
        return subject + "." + detail;
    }

    @Override
    public String toString() {
        return statusClass + "." + subject + "." + detail;
    }

    private static int number(String text, int from, int to) {
        if (to - from < 1 || to - from > 3) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
