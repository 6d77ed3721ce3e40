package dev.relay.dane;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** Whether a TLSA record's association data stands for a certificate (RFC 6698 section 2.1). */
final class Association {

    private Association() {}

    /** True when the record's selector and matching type, applied to the certificate, give its data. */
    static boolean matches(TlsaRecord record, X509Certificate certificate) {
        Optional<byte[]> selected = selected(record, certificate);
        if (selected.isEmpty() || record.knownMatching().isEmpty()) {
            return false;
        }
        TlsaRecord.Matching matching = record.knownMatching().get();
        byte[] value = matching == TlsaRecord.Matching.FULL ? selected.get() : digest(matching, selected.get());
        // constant time is not needed (all of it is public), but it is the JDK's array comparison
        return MessageDigest.isEqual(value, record.rawData());
    }

    /** The bytes the selector picks: the whole certificate, or its SubjectPublicKeyInfo. */
    private static Optional<byte[]> selected(TlsaRecord record, X509Certificate certificate) {
        if (record.knownSelector().isEmpty()) {
            return Optional.empty();
        }
        return switch (record.knownSelector().get()) {
            case CERT -> {
                try {
                    yield Optional.of(certificate.getEncoded());
                } catch (CertificateEncodingException e) {
                    yield Optional.empty(); // a certificate that cannot be encoded matches nothing
                }
            }
            // X.509 getEncoded() of a certificate's key is its SubjectPublicKeyInfo, DER
            case SPKI -> Optional.ofNullable(certificate.getPublicKey().getEncoded());
        };
    }

    static byte[] digest(TlsaRecord.Matching matching, byte[] bytes) {
        try {
            return MessageDigest.getInstance(matching.digest()).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + matching.digest(), e);
        }
    }
}
