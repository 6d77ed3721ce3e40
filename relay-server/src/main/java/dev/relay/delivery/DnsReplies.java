package dev.relay.delivery;

import dev.relay.queue.DeliveryResult;

/**
 * The results delivery records when DNS, not a remote server, decided a recipient's fate
 * (RFC 3463 codes, RFC 7505 for null MX). The one place their wording lives.
 */
final class DnsReplies {

    private DnsReplies() {}

    static DeliveryResult nullMx(String domain) {
        return new DeliveryResult.PermanentFailure("556 5.1.10 domain <" + domain + "> does not accept mail (null MX)");
    }

    static DeliveryResult noSuchDomain(String domain) {
        return new DeliveryResult.PermanentFailure("550 5.1.2 domain <" + domain + "> does not exist");
    }

    /** No MX and no address either: RFC 5321 5.1 leaves nowhere to deliver. */
    static DeliveryResult noAddress(String domain) {
        return new DeliveryResult.PermanentFailure("550 5.4.4 domain <" + domain + "> has no MX and no address records");
    }

    static DeliveryResult lookupFailed(String name, String reason) {
        return new DeliveryResult.TemporaryFailure("451 4.4.3 DNS lookup for <" + name + "> failed: " + reason);
    }

    /** An MX host that does not resolve: the next MX may; if none does, the domain's mail waits. */
    static DeliveryResult mxHostUnresolvable(String host) {
        return new DeliveryResult.TemporaryFailure("451 4.4.4 MX host <" + host + "> has no address");
    }
}
