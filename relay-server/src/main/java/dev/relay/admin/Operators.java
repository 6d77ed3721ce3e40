package dev.relay.admin;

import java.util.Optional;

/** Who made a change through the admin API, in words for the log: address, and the name the CLI sends. */
final class Operators {

    /** The header {@code relay.jar} sends with the local user name, so a log line can say who. */
    static final String OPERATOR_HEADER = "x-relay-operator";

    private Operators() {}

    /** {@code admin API client 127.0.0.1 (operator alice)}. */
    static String who(AdminRequest request) {
        String from = "admin API client " + request.client().orElse("(address unknown)");
        Optional<String> operator = request.header(OPERATOR_HEADER)
                .map(name -> name.replaceAll("[^A-Za-z0-9._@-]", "?"))
                .filter(name -> !name.isBlank())
                .map(name -> name.length() > 64 ? name.substring(0, 64) : name);
        return operator.map(name -> from + " (operator " + name + ")").orElse(from);
    }
}
