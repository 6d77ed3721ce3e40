/**
 * TLS material. Door: {@link dev.relay.tls.ServerTlsContext} (the relay's own certificate as a
 * Netty {@code SslContext}) and {@link dev.relay.tls.Pem} (PEM certificates and keys, with
 * errors naming the config key). Tests mint certificates with
 * {@code dev.relay.tls.testkit.TestCertificates} from the relay-server test jar.
 */
package dev.relay.tls;
