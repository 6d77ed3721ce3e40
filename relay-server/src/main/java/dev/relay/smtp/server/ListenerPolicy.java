package dev.relay.smtp.server;

import java.net.InetAddress;
import java.util.Optional;

/** What a listener offers and demands, from its configuration and whether a TLS certificate exists. */
final class ListenerPolicy {
    private final ListenerConfig listener;
    private final RelayNetworks relayNetworks;
    private final boolean tlsAvailable;
    private final boolean requireTls;

    ListenerPolicy(ListenerConfig listener, RelayNetworks relayNetworks, boolean tlsAvailable) {
        this(listener, relayNetworks, tlsAvailable, true);
    }

    /** @param requireTls {@code delivery.requiretls}: whether REQUIRETLS is offered inside TLS */
    ListenerPolicy(ListenerConfig listener, RelayNetworks relayNetworks, boolean tlsAvailable, boolean requireTls) {
        this.listener = listener;
        this.relayNetworks = relayNetworks;
        this.tlsAvailable = tlsAvailable;
        this.requireTls = requireTls;
    }

    /**
     * Refuses listener settings that could never work: TLS demanded without a certificate, or
     * AUTH demanded where it can never be offered (AUTH needs TLS).
     *
     * @throws IllegalArgumentException saying which listener and why
     */
    void validate() {
        String name = "listener " + listener.name();
        if (listener.implicitTls() && !tlsAvailable) {
            throw new IllegalArgumentException(name
                    + " has implicit-tls: true but no TLS certificate is configured (tls.certificate, tls.key)");
        }
        if (listener.starttls() == Mode.REQUIRED && !listener.implicitTls() && !tlsAvailable) {
            throw new IllegalArgumentException(name
                    + " has starttls: required but no TLS certificate is configured (tls.certificate, tls.key)");
        }
        boolean tlsPossible = listener.implicitTls() || (listener.starttls() != Mode.OFF && tlsAvailable);
        if (listener.auth() == Mode.REQUIRED && !tlsPossible) {
            throw new IllegalArgumentException(name
                    + " has auth: required but AUTH is only offered over TLS, which this listener cannot do");
        }
    }

    boolean implicitTls() {
        return listener.implicitTls();
    }

    boolean offersStartTls(boolean tlsActive) {
        return !tlsActive && !listener.implicitTls() && tlsAvailable && listener.starttls() != Mode.OFF;
    }

    /** AUTH is offered only inside TLS, so passwords never cross the wire in clear. */
    boolean offersAuth(boolean tlsActive) {
        return tlsActive && listener.auth() != Mode.OFF;
    }

    /** Whether AUTH would be offered once the client starts TLS. */
    boolean offersAuthAfterStartTls() {
        return listener.auth() != Mode.OFF && offersStartTls(false);
    }

    boolean requiresAuth() {
        return listener.auth() == Mode.REQUIRED;
    }

    /**
     * RFC 8689: REQUIRETLS is announced, and its MAIL parameter taken, only inside TLS, where
     * the client's own hop was protected; a relay that says REQUIRETLS over plain text would
     * promise a protection the message already lacked.
     */
    EnvelopeArguments.RequireTlsOffer requireTls(boolean tlsActive) {
        if (!requireTls) {
            return EnvelopeArguments.RequireTlsOffer.OFF;
        }
        return tlsActive ? EnvelopeArguments.RequireTlsOffer.OFFERED : EnvelopeArguments.RequireTlsOffer.NEEDS_TLS;
    }

    /** The policy refusal for MAIL in the current state, if any. */
    Optional<RejectReason> refuseMail(boolean tlsActive, boolean authenticated) {
        if (!tlsActive && (listener.starttls() == Mode.REQUIRED || listener.implicitTls())) {
            return Optional.of(RejectReason.TLS_REQUIRED);
        }
        if (!authenticated && listener.auth() == Mode.REQUIRED) {
            return Optional.of(RejectReason.AUTH_REQUIRED);
        }
        return Optional.empty();
    }

    /** We have no local domains: every recipient is a relay, allowed to trusted networks and users only. */
    boolean mayRelay(InetAddress client, boolean authenticated) {
        return authenticated || relayNetworks.contains(client);
    }
}
