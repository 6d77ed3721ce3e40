package dev.relay.tls;

import java.util.Objects;

/**
 * What the relay concluded about a server certificate: verified (trusted chain, valid now,
 * valid for the host name) or not, and why not. Computed for every TLS connection, also
 * those that accept any certificate, so that MTA-STS testing mode can log what would have
 * failed.
 */
public sealed interface CertificateVerdict {

    boolean isVerified();

    /** The one verified verdict. */
    static CertificateVerdict verified() {
        return Verified.INSTANCE;
    }

    static CertificateVerdict failed(TlsProblem problem, String detail) {
        return new NotVerified(problem, detail);
    }

    /** The chain leads to a trusted root, every certificate is valid now, and the name matches. */
    record Verified() implements CertificateVerdict {
        private static final Verified INSTANCE = new Verified();

        @Override
        public boolean isVerified() {
            return true;
        }
    }

    /**
     * @param problem the RFC 8460 category
     * @param detail one line for logs, e.g. {@code certificate names [mx.other.test] do not match a.mx.test}
     */
    record NotVerified(TlsProblem problem, String detail) implements CertificateVerdict {
        public NotVerified {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public boolean isVerified() {
            return false;
        }
    }
}
