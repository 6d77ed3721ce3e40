package dev.relay.smtp.client;

import dev.relay.tls.CertificateCheck;
import dev.relay.tls.TlsRequirement;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one connection goes: the MX host name (for SNI, the certificate check and logs), the
 * address it resolved to, the TLS level the caller demands and who judges the certificate. Also
 * the key under which {@link ConnectionPool} keeps connections for reuse.
 *
 * @param mxHost lower case, without a trailing dot
 * @param address resolved; never resolved again here
 * @param check the judge of the certificate when not the Web PKI for {@code mxHost} (e.g. the
 *     host's DANE TLSA records); its verdict is what {@link TlsRequirement#REQUIRED_VERIFIED} demands
 */
public record Destination(String mxHost, InetSocketAddress address, TlsRequirement tls, Optional<CertificateCheck> check) {

    /** A destination whose certificate the Web PKI judges. */
    public Destination(String mxHost, InetSocketAddress address, TlsRequirement tls) {
        this(mxHost, address, tls, Optional.empty());
    }

    public Destination {
        Objects.requireNonNull(mxHost, "mxHost");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(check, "check");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("the address must be resolved: " + address);
        }
        mxHost = mxHost.toLowerCase(Locale.ROOT);
        if (mxHost.endsWith(".")) {
            mxHost = mxHost.substring(0, mxHost.length() - 1);
        }
        if (mxHost.isEmpty()) {
            throw new IllegalArgumentException("empty MX host name");
        }
    }

    /** {@code mx.example.com[192.0.2.1]:25}, as Postfix names a relay. */
    public String relayName() {
        return mxHost + "[" + address.getAddress().getHostAddress() + "]:" + address.getPort();
    }
}
