/**
 * Delivery: hands queued messages to remote MX hosts, through the outbound client
 * ({@code dev.relay.smtp.client}), under each recipient domain's TLS policy, and records what
 * each attempt came to as a typed {@link dev.relay.outcome.Outcome}.
 *
 * <p>Door: {@link dev.relay.delivery.DeliveryScheduler} takes due messages from the queue,
 * groups each message's open recipients by domain, caps connections per domain, and records one
 * outcome per recipient; recipients that became Failed go to a
 * {@link dev.relay.delivery.BounceHandler} with the original body, and a message late past
 * {@code queue.delay-warning-after} to the {@link dev.relay.delivery.DelayNotifier}, once in its
 * life. Inside, {@code DomainDelivery} walks one domain's MX hosts and their addresses in
 * order (a connection failure moves on, a server's verdict ends the walk) under the domain's
 * policy ({@link dev.relay.mtasts.DomainPolicies} / {@link dev.relay.mtasts.DomainPolicy});
 * {@link dev.relay.delivery.Verdicts} is the one classifier that turns what the client, DNS or
 * the policy found into outcomes; {@link dev.relay.delivery.AttemptLog} writes the Postfix-style
 * line per recipient; {@link dev.relay.delivery.DeliveryEvents} feeds metrics and the status
 * page; {@link dev.relay.delivery.WakingQueueEvents} wakes the scheduler on new mail.
 */
package dev.relay.delivery;

