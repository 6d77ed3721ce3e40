package dev.relay.delivery;

import dev.relay.dane.DaneVerdict;
import dev.relay.dane.DaneVerifier;
import dev.relay.dane.TlsaRecords;
import dev.relay.outcome.Cause;
import dev.relay.tls.CertificateCheck;
import dev.relay.tls.CertificateVerdict;
import dev.relay.tls.TlsProblem;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A host's usable TLSA records as the SMTP client's judge of its certificate: {@link DaneVerifier}
 * behind the client's generic {@link CertificateCheck}, so the client knows nothing of DANE. A
 * value: two attempts at the same host with the same records share pooled connections.
 *
 * @param referenceNames the names a DANE-TA leaf may carry
 */
record DaneCheck(TlsaRecords.Usable records, List<String> referenceNames) implements CertificateCheck {

    DaneCheck {
        Objects.requireNonNull(records, "records");
        referenceNames = List.copyOf(referenceNames);
    }

    @Override
    public CertificateVerdict verify(List<X509Certificate> chain, Instant now) {
        return switch (DaneVerifier.verify(records, chain, referenceNames, now)) {
            case DaneVerdict.Authenticated ok -> CertificateVerdict.verified();
            case DaneVerdict.Failed failed -> CertificateVerdict.failed(problemOf(failed.cause()),
                    "DANE: " + failed.reason());
        };
    }

    private static TlsProblem problemOf(Cause cause) {
        return switch (cause) {
            case CERTIFICATE_HOST_MISMATCH -> TlsProblem.CERTIFICATE_HOST_MISMATCH;
            case CERTIFICATE_EXPIRED -> TlsProblem.CERTIFICATE_EXPIRED;
            case TLSA_INVALID -> TlsProblem.TLSA_INVALID;
            default -> TlsProblem.VALIDATION_FAILURE;
        };
    }
}
