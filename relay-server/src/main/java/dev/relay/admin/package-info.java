/**
 * The admin HTTP server on {@code admin.address}: health checks, the Prometheus scrape, and the
 * routes other packages add (queue API, status page). Door: {@link dev.relay.admin.AdminServer}
 * with its builder, {@link dev.relay.admin.AdminRoute}, {@link dev.relay.admin.AdminRequest}
 * and {@link dev.relay.admin.AdminResponse}. Route matching and the token check are internal.
 *
 * <p>Promises: {@code /health/live} and {@code /health/ready} never need the token; every
 * other route does when {@code admin.token} is set (compared in constant time); without a
 * token only a loopback address is bound; routes never run on the event loop.
 */
package dev.relay.admin;
