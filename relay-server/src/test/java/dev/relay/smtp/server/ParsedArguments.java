package dev.relay.smtp.server;

/**
 * What {@link EnvelopeArguments} makes of a MAIL or RCPT argument, as one comparable string:
 * "ok:" and the address, or the refusal's code and enhanced status (e.g. "501 5.1.3").
 */
final class ParsedArguments {
    private ParsedArguments() {}

    static String recipient(String argument, boolean smtpUtf8) {
        return switch (EnvelopeArguments.parseRcpt(argument, smtpUtf8)) {
            case EnvelopeArguments.Recipient r -> "ok:" + r.address().address();
            case EnvelopeArguments.Refused r -> refusal(r);
        };
    }

    /** A MAIL argument on a listener that takes BINARYMIME, with {@code maxSize} (0: none). */
    static String sender(String argument, long maxSize) {
        return switch (EnvelopeArguments.parseMail(argument, maxSize, true)) {
            case EnvelopeArguments.Sender s -> "ok:" + s.address();
            case EnvelopeArguments.Refused r -> refusal(r);
        };
    }

    private static String refusal(EnvelopeArguments.Refused refused) {
        return refused.reply().code() + " " + refused.reply().status().orElse("");
    }
}
