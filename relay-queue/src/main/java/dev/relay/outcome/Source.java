package dev.relay.outcome;

import java.util.Objects;
import java.util.Optional;

/**
 * Whose verdict an outcome is. A DSN names a host as Remote-MTA only for a remote verdict, so
 * the relay's own findings (DNS, a policy, a failed connection, a check before sending) are
 * never blamed on the recipient's server.
 */
public sealed interface Source {

    /** The relay's own verdict. */
    static Source local() {
        return Local.INSTANCE;
    }

    static Source remote(String host, Optional<String> address) {
        return new Remote(host, address);
    }

    /** The host that gave the verdict, when a remote server did. */
    default Optional<String> remoteHost() {
        return this instanceof Remote remote ? Optional.of(remote.host()) : Optional.empty();
    }

    /**
     * A remote server's reply.
     *
     * @param host the MX host name as the relay contacted it
     * @param address its IP address, when known
     */
    record Remote(String host, Optional<String> address) implements Source {
        public Remote {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(address, "address");
            if (host.isEmpty()) {
                throw new IllegalArgumentException("a remote verdict names its host");
            }
        }
    }

    /** The relay decided by itself. */
    record Local() implements Source {
        private static final Local INSTANCE = new Local();
    }
}
