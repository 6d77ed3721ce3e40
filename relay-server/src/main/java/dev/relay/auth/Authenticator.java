package dev.relay.auth;

import java.util.Optional;

/**
 * Checks SMTP AUTH credentials. Implementations compare in constant time where it matters
 * and never log the password.
 */
public interface Authenticator {

    /** Nobody can authenticate (no users file configured). */
    Authenticator NONE = (username, password) -> Optional.empty();

    /**
     * @return the authenticated identity (as stored, for logs and the Received header) when the
     *     password is right for that user; empty otherwise
     */
    Optional<String> authenticate(String username, char[] password);
}
