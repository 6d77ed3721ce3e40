package dev.relay.delivery;

import dev.relay.queue.DeliveryResult;
import java.util.List;

/**
 * The results delivery records when the recipient domain's MTA-STS policy, not a remote server,
 * kept the mail back. Always temporary: RFC 8461 section 5 treats hosts that fail the policy as
 * unreachable, so the mail waits (and the policy is checked again) until the queue lifetime ends.
 */
final class PolicyReplies {

    private PolicyReplies() {}

    /** RFC 3463 4.4.3: the directory (DNS) needed to route the mail safely did not answer. */
    static DeliveryResult undetermined(String domain, String reason) {
        return new DeliveryResult.TemporaryFailure("451 4.4.3 MTA-STS policy of <" + domain
                + "> could not be determined (" + reason + "); not delivering without it");
    }

    /** RFC 3463 4.7.5: no MX host offered the security the policy demands; each host's reason follows. */
    static DeliveryResult notMet(String domain, List<String> hostReasons) {
        return new DeliveryResult.TemporaryFailure("451 4.7.5 MTA-STS policy of <" + domain
                + "> (mode enforce) could not be met by any MX host: " + String.join("; ", hostReasons));
    }
}
