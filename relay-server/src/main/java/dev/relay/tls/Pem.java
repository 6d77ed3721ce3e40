package dev.relay.tls;

import dev.relay.settings.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM files named by the configuration. Errors are {@link ConfigException}s naming the
 * config key and the file: {@code tls.certificate: /etc/relay/cert.pem: no certificate found}.
 *
 * <p>Private keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE
 * KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}, with or without the {@code EC PARAMETERS} block
 * that {@code openssl ecparam -genkey} writes before it). Encrypted keys are refused: the relay
 * starts unattended and has nowhere to ask for a passphrase.
 */
public final class Pem {

    private Pem() {}

    /**
     * Every certificate in the file, in file order (for a server: its own first, then the
     * intermediates).
     *
     * @param key the config key that named the file, for messages
     */
    public static List<X509Certificate> readCertificates(Path file, String key) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object item : readAll(file, key)) {
            if (item instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new ConfigException(key, file + ": unreadable certificate: " + e.getMessage(), e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new ConfigException(key, file + ": no certificate found (expected PEM: -----BEGIN CERTIFICATE-----)");
        }
        return List.copyOf(certificates);
    }

    /**
     * The one private key in the file.
     *
     * @param key the config key that named the file, for messages
     */
    public static PrivateKey readPrivateKey(Path file, String key) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        List<PrivateKey> keys = new ArrayList<>();
        for (Object item : readAll(file, key)) {
            try {
                switch (item) {
                    case PrivateKeyInfo info -> keys.add(converter.getPrivateKey(info));
                    case PEMKeyPair pair -> keys.add(converter.getPrivateKey(pair.getPrivateKeyInfo())); // SEC1 may omit the public key
                    case PKCS8EncryptedPrivateKeyInfo e -> throw encrypted(file, key);
                    case PEMEncryptedKeyPair e -> throw encrypted(file, key);
                    case ASN1ObjectIdentifier curve -> {
                        // the EC PARAMETERS block: the key that follows names its curve itself
                    }
                    default -> {
                        // certificates in the same file are fine; they are not our business here
                    }
                }
            } catch (org.bouncycastle.openssl.PEMException e) {
                throw new ConfigException(key, file + ": unreadable private key: " + e.getMessage(), e);
            }
        }
        if (keys.isEmpty()) {
            throw new ConfigException(key, file + ": no private key found (expected PEM: -----BEGIN PRIVATE KEY-----, "
                    + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
        }
        if (keys.size() > 1) {
            throw new ConfigException(key, file + ": " + keys.size() + " private keys found, expected one");
        }
        return keys.getFirst();
    }

    private static ConfigException encrypted(Path file, String key) {
        return new ConfigException(key, file + ": encrypted private keys are not supported "
                + "(decrypt it once: openssl pkey -in " + file.getFileName() + " -out key.pem)");
    }

    private static List<Object> readAll(Path file, String key) {
        if (Files.isDirectory(file)) {
            throw new ConfigException(key, file + ": is a directory, expected a PEM file");
        }
        List<Object> items = new ArrayList<>();
        // Latin-1 never fails to decode: CA bundles carry non-ASCII comments, and a binary file
        // simply yields no PEM block
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
                PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                items.add(item);
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException(key, file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(key, file + ": not readable (permission denied)");
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new ConfigException(key, file + ": malformed PEM: " + e.getMessage(), e);
        }
        return items;
    }
}
