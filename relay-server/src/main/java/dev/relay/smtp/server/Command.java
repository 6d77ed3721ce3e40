package dev.relay.smtp.server;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One command line split into verb and argument. The argument is what follows the first
 * space, with trailing blanks dropped (clients commonly send them).
 */
record Command(Verb verb, String argument) {

    enum Verb {
        EHLO, HELO, MAIL, RCPT, DATA, BDAT, RSET, NOOP, QUIT, VRFY, HELP, STARTTLS, AUTH,
        /** Known to RFC 5321 or old extensions, deliberately not offered: 502. */
        EXPN(false), TURN(false), ETRN(false), ATRN(false), SEND(false), SOML(false), SAML(false), VERB(false);

        private final boolean implemented;

        Verb() {
            this(true);
        }

        Verb(boolean implemented) {
            this.implemented = implemented;
        }

        boolean implemented() {
            return implemented;
        }
    }

    /**
     * First words that mean the client speaks another protocol: HTTP requests (a browser, or a web
     * form abused to send mail, cross-protocol) and proxy or POP3 verbs. Postfix's
     * {@code smtpd_forbidden_commands} is the model: such a client is disconnected at once.
     */
    private static final Set<String> FOREIGN_VERBS = Set.of("GET", "HEAD", "POST", "PUT", "CONNECT", "OPTIONS", "USER");

    /** Whether the line is an HTTP request or proxy verb rather than an SMTP command. */
    static boolean isForeign(String line) {
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        return FOREIGN_VERBS.contains(word.toUpperCase(Locale.ROOT));
    }

    boolean hasArgument() {
        return !argument.isEmpty();
    }

    /** Empty when the verb is not one we know (500 5.5.1). */
    static Optional<Command> parse(String line) {
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        if (word.isEmpty() || word.length() > 10) {
            return Optional.empty();
        }
        Verb verb;
        try {
            verb = Verb.valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
        String argument = space < 0 ? "" : line.substring(space + 1).stripTrailing();
        return Optional.of(new Command(verb, argument));
    }
}
