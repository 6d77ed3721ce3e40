package dev.relay.dane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * TLSA records for test certificates, computed apart from the code under test: the public key
 * comes from BouncyCastle's reading of the certificate, the digests from their JCA names.
 */
public final class Tlsa {
    private Tlsa() {}

    /** The record of this usage, selector and matching type for the certificate. */
    public static TlsaRecord of(int usage, int selector, int matching, X509Certificate certificate) {
        try {
            byte[] selected = selector == 0 ? certificate.getEncoded()
                    : new JcaX509CertificateHolder(certificate).getSubjectPublicKeyInfo().getEncoded();
            byte[] data = switch (matching) {
                case 0 -> selected;
                case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> throw new IllegalArgumentException("matching type " + matching);
            };
            return new TlsaRecord(usage, selector, matching, data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TlsaRecords.Usable usable(TlsaRecord... records) {
        return (TlsaRecords.Usable) TlsaRecords.classify(java.util.List.of(records));
    }
}
