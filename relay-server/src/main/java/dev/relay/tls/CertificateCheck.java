package dev.relay.tls;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A judge of a server's certificate chain other than the Web PKI (trusted roots plus the MX
 * name), named by the caller for one destination: e.g. a host's DANE TLSA records. The SMTP
 * client applies it without knowing what it stands for.
 *
 * <p>Implementations are values (records): destinations are the connection pool's keys, and
 * two destinations with equal checks share connections.
 */
@FunctionalInterface
public interface CertificateCheck {

    /**
     * @param chain the certificates the server presented, leaf first (empty when it sent none)
     * @param now the time to check dates against
     */
    CertificateVerdict verify(List<X509Certificate> chain, Instant now);
}
