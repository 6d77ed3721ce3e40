/**
 * TLS material and policy. Door: {@link dev.relay.tls.ServerTlsContext} (the relay's own
 * certificate as a Netty {@code SslContext}), {@link dev.relay.tls.Pem} (PEM certificates and
 * keys, with errors naming the config key), and for outbound connections
 * {@link dev.relay.tls.ClientTlsContext} (shared client context, SNI, session resumption, and
 * the post-handshake verdict), {@link dev.relay.tls.CertificateVerifier} (PKIX to the system
 * roots plus {@code delivery.tls.extra-trust}), {@link dev.relay.tls.HostnameMatcher} (RFC 6125
 * as MTA-STS needs it), {@link dev.relay.tls.TlsRequirement}, {@link dev.relay.tls.TlsDetails},
 * {@link dev.relay.tls.CertificateVerdict} and {@link dev.relay.tls.TlsProblem} (RFC 8460 result
 * types). Tests mint certificates with {@code dev.relay.tls.testkit.TestCertificates} from the
 * relay-server test jar.
 */
package dev.relay.tls;
