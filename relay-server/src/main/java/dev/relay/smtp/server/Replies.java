package dev.relay.smtp.server;

import dev.relay.queue.QueueId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every reply the listener sends, by name. Codes follow RFC 5321 section 4.2, enhanced codes
 * RFC 3463 (and RFC 4954 for AUTH, RFC 3207 for STARTTLS, RFC 6531 for SMTPUTF8).
 */
final class Replies {
    private Replies() {}

    // 2xx
    static final Reply OK = Reply.of(250, "2.0.0", "Ok");
    static final Reply RESET = Reply.of(250, "2.0.0", "Reset");
    static final Reply SENDER_OK = Reply.of(250, "2.1.0", "Sender ok");
    static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "Recipient ok");
    static final Reply VRFY_CANNOT = Reply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
    static final Reply HELP = Reply.of(214, "2.0.0",
            "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH");
    static final Reply BYE = Reply.of(221, "2.0.0", "Bye");
    /** To an HTTP request or proxy verb: the connection is closed at once (Postfix answers the same way). */
    static final Reply FOREIGN_PROTOCOL = Reply.of(221, "2.7.0", "This is an SMTP server, not a web server or proxy; goodbye");
    static final Reply READY_FOR_TLS = Reply.of(220, "2.0.0", "Ready to start TLS");
    static final Reply AUTH_SUCCEEDED = Reply.of(235, "2.7.0", "Authentication successful");

    // 3xx
    static final Reply START_MAIL_INPUT = Reply.bare(354, "End data with <CR><LF>.<CR><LF>");

    // 4xx
    static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, "4.5.3", "Too many recipients");
    static final Reply QUEUE_FULL = Reply.of(452, "4.3.1", "Insufficient system storage, try again later");
    static final Reply QUEUE_ERROR = Reply.of(451, "4.3.0", "Local error in processing, message not queued");
    static final Reply AUTH_UNAVAILABLE = Reply.of(454, "4.7.0", "Temporary authentication failure");
    static final Reply TIMEOUT = Reply.of(421, "4.4.2", "Timeout exceeded, closing connection");
    static final Reply DATA_TOO_SLOW = Reply.of(421, "4.4.2", "Message content arrives too slowly, closing connection");
    static final Reply TOO_MANY_ERRORS = Reply.of(421, "4.7.0", "Too many errors, closing connection");
    static final Reply TOO_MANY_CONNECTIONS = Reply.of(421, "4.3.2", "Too many connections, try again later");
    static final Reply TOO_MANY_FROM_CLIENT = Reply.of(421, "4.7.0", "Too many connections from your address");
    static final Reply SHUTTING_DOWN = Reply.of(421, "4.3.2", "Service shutting down, closing connection");

    // 5xx: framing
    static final Reply LINE_TOO_LONG = Reply.of(500, "5.5.2", "Line too long");
    static final Reply NUL_IN_LINE = Reply.of(500, "5.5.2", "NUL character not allowed");
    static final Reply BARE_LINE_BREAK_IN_COMMAND = Reply.of(500, "5.5.2", "Command lines must end with <CR><LF>");
    static final Reply BAD_ENCODING = Reply.of(500, "5.5.2", "Command is not valid UTF-8");

    // 5xx: commands and sequence
    static final Reply UNKNOWN_COMMAND = Reply.of(500, "5.5.1", "Command unrecognized");
    static final Reply NOT_IMPLEMENTED = Reply.of(502, "5.5.1", "Command not implemented");
    static final Reply STARTTLS_UNAVAILABLE = Reply.of(502, "5.5.1", "STARTTLS not available");
    static final Reply AUTH_UNAVAILABLE_HERE = Reply.of(502, "5.5.1", "AUTH not available");
    static final Reply HELO_FIRST = Reply.of(503, "5.5.1", "Send HELO/EHLO first");
    static final Reply EHLO_FIRST = Reply.of(503, "5.5.1", "Send EHLO first");
    static final Reply NESTED_MAIL = Reply.of(503, "5.5.1", "Nested MAIL command");
    static final Reply BAD_SEQUENCE = Reply.of(503, "5.5.1", "Bad sequence of commands");
    static final Reply NEED_MAIL = Reply.of(503, "5.5.1", "Need MAIL command");
    static final Reply NO_VALID_RECIPIENTS = Reply.of(554, "5.5.1", "No valid recipients");
    static final Reply TLS_ALREADY_ACTIVE = Reply.of(503, "5.5.1", "TLS already active");
    static final Reply ALREADY_AUTHENTICATED = Reply.of(503, "5.5.1", "Already authenticated");
    static final Reply AUTH_IN_TRANSACTION = Reply.of(503, "5.5.1", "AUTH not allowed during a mail transaction");
    static final Reply BINARYMIME_NEEDS_BDAT = Reply.of(503, "5.5.1", "BODY=BINARYMIME requires BDAT");
    static final Reply DATA_AFTER_BDAT = Reply.of(503, "5.5.1", "DATA not allowed after BDAT");

    // 5xx: syntax
    static final Reply SYNTAX_EHLO = Reply.of(501, "5.5.4", "Syntax: EHLO hostname");
    static final Reply SYNTAX_HELO = Reply.of(501, "5.5.4", "Syntax: HELO hostname");
    static final Reply SYNTAX_MAIL = Reply.of(501, "5.5.4", "Syntax: MAIL FROM:<address> [parameters]");
    static final Reply SYNTAX_RCPT = Reply.of(501, "5.5.4", "Syntax: RCPT TO:<address> [parameters]");
    static final Reply SYNTAX_DATA = Reply.of(501, "5.5.4", "Syntax: DATA");
    /** The size is unreadable, so the chunk cannot be told from commands: the session ends with this reply. */
    static final Reply SYNTAX_BDAT = Reply.of(501, "5.5.4", "Syntax: BDAT size [LAST]; closing connection");
    static final Reply SYNTAX_RSET = Reply.of(501, "5.5.4", "Syntax: RSET");
    static final Reply SYNTAX_QUIT = Reply.of(501, "5.5.4", "Syntax: QUIT");
    static final Reply SYNTAX_VRFY = Reply.of(501, "5.5.4", "Syntax: VRFY address");
    static final Reply SYNTAX_STARTTLS = Reply.of(501, "5.5.4", "Syntax: STARTTLS");
    static final Reply SYNTAX_AUTH = Reply.of(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
    static final Reply BAD_SENDER = Reply.of(501, "5.1.7", "Bad sender address syntax");
    static final Reply BAD_RECIPIENT = Reply.of(501, "5.1.3", "Bad recipient address syntax");
    static final Reply BAD_PARAMETER = Reply.of(501, "5.5.4", "Invalid parameter syntax or value");
    static final Reply UNKNOWN_PARAMETER = Reply.of(555, "5.5.4", "Unsupported parameter");
    static final Reply NON_ASCII_ADDRESS = Reply.of(553, "5.6.7", "Non-ASCII address needs SMTPUTF8");
    static final Reply NO_LOCAL_MAILBOX = Reply.of(550, "5.1.1", "No local mailboxes on this relay");
    // X.1.2 bad destination system address, X.1.8 bad sender's system address (RFC 3463)
    static final Reply RECIPIENT_LITERAL_LOCAL = Reply.of(550, "5.1.2",
            "Recipient address literal is this relay, a loopback or an unspecified address");
    static final Reply RECIPIENT_LITERAL_REFUSED = Reply.of(550, "5.1.2", "Address literal recipients are not accepted");
    static final Reply RECIPIENT_NUMERIC_DOMAIN = Reply.of(550, "5.1.2",
            "Recipient domain is a number, not a domain name (an IP address needs brackets)");
    static final Reply SENDER_LITERAL_LOCAL = Reply.of(550, "5.1.8",
            "Sender address literal is this relay, a loopback or an unspecified address; it cannot take bounces");
    static final Reply SENDER_LITERAL_REFUSED = Reply.of(550, "5.1.8",
            "Address literal senders are not accepted: bounces are not sent to address literals");
    static final Reply SENDER_NUMERIC_DOMAIN = Reply.of(550, "5.1.8",
            "Sender domain is a number, not a domain name; it cannot take bounces");

    // 5xx: policy and limits
    static final Reply TLS_REQUIRED = Reply.of(530, "5.7.0", "Must issue a STARTTLS command first");
    /** RFC 8689: MAIL FROM:<...> REQUIRETLS on a session without TLS. */
    static final Reply REQUIRETLS_NEEDS_TLS = Reply.of(530, "5.7.0",
            "REQUIRETLS needs a TLS session: issue STARTTLS first");
    static final Reply AUTH_REQUIRED = Reply.of(530, "5.7.0", "Authentication required");
    static final Reply RELAY_DENIED = Reply.of(554, "5.7.1", "Relay access denied");
    static final Reply MESSAGE_TOO_BIG = Reply.of(552, "5.3.4", "Message size exceeds fixed limit");
    static final Reply HEADER_TOO_BIG = Reply.of(552, "5.3.4", "Message header section too large");
    // 5.6.0 (other media error) is registered in RFC 3463; X.6.11 is not in the IANA registry
    static final Reply BARE_LINE_BREAK_IN_DATA = Reply.of(554, "5.6.0",
            "Message contains bare CR or bare LF, not accepted");
    static final Reply NUL_IN_DATA = Reply.of(554, "5.6.0", "Message contains NUL characters, not accepted");
    // X.4.6 routing loop detected (RFC 3463), as Postfix's hopcount_limit
    static final Reply TOO_MANY_HOPS = Reply.of(554, "5.4.6", "Too many hops (Received fields), mail loop suspected, not accepted");

    // AUTH (RFC 4954)
    static final Reply AUTH_FAILED = Reply.of(535, "5.7.8", "Authentication credentials invalid");
    static final Reply AUTH_CANCELLED = Reply.of(501, "5.0.0", "Authentication cancelled");
    static final Reply AUTH_BAD_RESPONSE = Reply.of(501, "5.5.2", "Cannot decode AUTH response");
    static final Reply AUTH_UNKNOWN_MECHANISM = Reply.of(504, "5.5.4", "Unrecognized authentication mechanism");

    static Reply greeting(String hostname) {
        return Reply.bare(220, hostname + " ESMTP ready");
    }

    static Reply helo(String hostname) {
        return Reply.bare(250, hostname);
    }

    /** The EHLO reply: greeting line, then one extension keyword per line (no enhanced codes, RFC 2034). */
    static Reply ehlo(String hostname, List<String> keywords) {
        List<String> lines = new ArrayList<>(keywords.size() + 1);
        lines.add(hostname);
        lines.addAll(keywords);
        return Reply.multiLine(250, Optional.empty(), lines);
    }

    static Reply queued(QueueId id) {
        return Reply.of(250, "2.0.0", "Ok: queued as " + id.value());
    }

    static Reply chunkReceived(long octets) {
        return Reply.of(250, "2.0.0", octets + " octets received");
    }

    /** An AUTH challenge; {@code base64} may be empty. */
    static Reply authChallenge(String base64) {
        return Reply.bare(334, base64);
    }
}
