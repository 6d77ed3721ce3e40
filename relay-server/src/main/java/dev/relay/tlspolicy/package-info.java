/**
 * Local TLS policy overrides as the running relay holds them: those of the configuration
 * ({@code tls-policy.overrides}, replaced on reload) and the suspensions operators set at run
 * time, which always expire and are kept across restarts in a small file in the spool
 * directory. Door: {@link dev.relay.tlspolicy.TlsPolicyOverrides}. What an override does to a
 * domain's policy is decided in {@link dev.relay.mtasts.OverriddenPolicies}.
 */
package dev.relay.tlspolicy;
