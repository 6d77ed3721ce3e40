/**
 * The admin HTTP server on {@code admin.address}: health checks, the Prometheus scrape, and the
 * routes other packages add (queue API, status page). Door: {@link dev.relay.admin.AdminServer}
 * with its builder, {@link dev.relay.admin.AdminRoute}, {@link dev.relay.admin.AdminRequest}
 * and {@link dev.relay.admin.AdminResponse}. Route matching and the token check are internal.
 *
 * <p>Routes for people and scripts: {@link dev.relay.admin.QueueRoutes} (the queue API under
 * {@code /api/queue}, answering {@link dev.relay.admin.MessageView} and
 * {@link dev.relay.admin.QueueReplies} in the {@link dev.relay.admin.AdminJson} dialect, which
 * the {@code queue} commands read too) and {@link dev.relay.admin.StatusRoutes} (the status page
 * and its {@link dev.relay.admin.StatusReport}). The page's numbers come from
 * {@link dev.relay.admin.RecentDeliveries} (fed by delivery events) and an
 * {@link dev.relay.admin.MtaStsView}: {@link dev.relay.admin.MtaStsStatus} over the running
 * MTA-STS service and {@link dev.relay.admin.RecentEnforcementFailures}.
 *
 * <p>Promises: {@code /health/live} and {@code /health/ready} never need the token; every
 * other route does when {@code admin.token} is set (compared in constant time); without a
 * token only a loopback address is bound; routes never run on the event loop.
 */
package dev.relay.admin;
