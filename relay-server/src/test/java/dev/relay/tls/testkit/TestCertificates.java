package dev.relay.tls.testkit;

import dev.relay.tls.TlsFiles;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates for tests, minted on the spot with BouncyCastle: a test CA, server certificates
 * it issues for given DNS names (subjectAltName dNSName; IP literals become iPAddress), and
 * self-signed ones; each optionally expired, not yet valid, RSA or EC.
 *
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.newAuthority("Test CA");
 * TestCertificates.Issued mx = ca.issue("mx.example.test");                 // valid now, EC P-256
 * TestCertificates.Issued wild = ca.issue("*.example.test");               // wildcard
 * TestCertificates.Issued old = ca.leaf("mx.example.test").expired().issue();
 * TestCertificates.Issued rsa = ca.leaf("mx.example.test").keyType(KeyType.RSA).issue();
 * TestCertificates.Issued self = TestCertificates.selfSigned("mx.example.test").issue();
 * TlsFiles files = mx.write(dir, "mx");          // mx.crt.pem + mx.key.pem, for tls.certificate/key
 * Path trust = ca.writeTrustPem(dir.resolve("ca.pem"));   // for delivery.tls.extra-trust
 * }</pre>
 * A "wrong name" certificate is simply one issued for another name.
 */
public final class TestCertificates {

    /** The kind of key pair: EC is P-256 (fast to make), RSA is 2048 bits. */
    public enum KeyType {
        EC,
        RSA
    }

    /** How a private key is written: PKCS#8, or the traditional PKCS#1 (RSA) / SEC1 (EC) form. */
    public enum KeyFormat {
        PKCS8,
        TRADITIONAL
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern IP_LIKE = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private TestCertificates() {}

    /** A CA with an EC key, valid from a day ago for ten years. */
    public static Authority newAuthority(String commonName) {
        return newAuthority(commonName, KeyType.EC);
    }

    public static Authority newAuthority(String commonName, KeyType type) {
        KeyPair pair = generate(type);
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + commonName + ",O=relay tests");
        X509Certificate certificate = build(subject, pair, subject, pair, now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(3650)), List.of(), true);
        return new Authority(certificate, pair, subject);
    }

    /** A builder for a self-signed server certificate (trusted by nobody unless told). */
    public static LeafBuilder selfSigned(String... dnsNames) {
        return new LeafBuilder(null, dnsNames);
    }

    /** PEM text of certificates, one block each, in order. */
    public static String toPem(List<X509Certificate> certificates) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (X509Certificate c : certificates) {
                writer.writeObject(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** PEM text of a private key in the given format (an EC key in SEC1 form names its curve, without its public key). */
    public static String toPem(PrivateKey key, KeyFormat format) {
        return keyPem(key, Optional.empty(), format);
    }

    /**
     * PEM text of a private key. An EC key in SEC1 form carries its curve and, when given, its
     * public key, as {@code openssl ec} writes it.
     */
    public static String toPem(PrivateKey key, PublicKey publicKey, KeyFormat format) {
        return keyPem(key, Optional.of(publicKey), format);
    }

    private static String keyPem(PrivateKey key, Optional<PublicKey> publicKey, KeyFormat format) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (format == KeyFormat.PKCS8) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else if (key instanceof ECPrivateKey ec) {
                // the JDK's encoding keeps the curve outside the SEC1 structure; put it back inside
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
                // BouncyCastle takes null for "no public key"
                ASN1BitString publicBits = publicKey
                        .map(p -> SubjectPublicKeyInfo.getInstance(p.getEncoded()).getPublicKeyData())
                        .orElse(null);
                var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(),
                        publicBits, info.getPrivateKeyAlgorithm().getParameters());
                writer.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            } else {
                // BouncyCastle writes other keys (RSA: PKCS#1) in the traditional form by itself
                writer.writeObject(key);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A test certificate authority. */
    public static final class Authority {
        private final X509Certificate certificate;
        private final KeyPair pair;
        private final X500Name name;
        private final List<X509Certificate> chain;

        private Authority(X509Certificate certificate, KeyPair pair, X500Name name) {
            this(certificate, pair, name, List.of(certificate));
        }

        private Authority(X509Certificate certificate, KeyPair pair, X500Name name, List<X509Certificate> chain) {
            this.certificate = certificate;
            this.pair = pair;
            this.name = name;
            this.chain = List.copyOf(chain);
        }

        public X509Certificate certificate() {
            return certificate;
        }

        /** This CA's certificate and those above it, up to the root: itself only for a root. */
        public List<X509Certificate> chain() {
            return chain;
        }

        /** An intermediate CA this one signs, EC, valid from a day ago for five years. */
        public Authority subordinate(String commonName) {
            KeyPair subPair = generate(KeyType.EC);
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + commonName + ",O=relay tests");
            X509Certificate sub = build(subject, subPair, name, pair, now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(1825)), List.of(), true);
            List<X509Certificate> subChain = new ArrayList<>();
            subChain.add(sub);
            subChain.addAll(chain);
            return new Authority(sub, subPair, subject, subChain);
        }

        public PrivateKey key() {
            return pair.getPrivate();
        }

        /** A server certificate for these names, valid now, EC. */
        public Issued issue(String... dnsNames) {
            return leaf(dnsNames).issue();
        }

        /** A builder for a server certificate this CA signs. */
        public LeafBuilder leaf(String... dnsNames) {
            return new LeafBuilder(this, dnsNames);
        }

        /** The CA certificate as PEM, to trust it. */
        public String trustPem() {
            return toPem(List.of(certificate));
        }

        /** Writes {@link #trustPem()} to the file and returns it. */
        public Path writeTrustPem(Path file) {
            return write(file, trustPem());
        }

        /** A key store holding only this CA as a trusted entry. */
        public KeyStore trustStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setCertificateEntry("test-ca", certificate);
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Trust managers that trust this CA and nothing else. */
        public TrustManagerFactory trustManagerFactory() {
            try {
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(trustStore());
                return factory;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A JDK client context that trusts this CA and nothing else. */
        public SSLContext clientContext() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trustManagerFactory().getTrustManagers(), null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Options for one server certificate. */
    public static final class LeafBuilder {
        private final Authority issuer;
        private final List<String> names;
        private KeyType keyType = KeyType.EC;
        private Instant notBefore = Instant.now().minus(Duration.ofHours(1));
        private Instant notAfter = Instant.now().plus(Duration.ofDays(365));
        private String commonName;
        private boolean subjectAltNames = true;

        private LeafBuilder(Authority issuer, String... names) {
            if (names.length == 0) {
                throw new IllegalArgumentException("at least one name");
            }
            this.issuer = issuer;
            this.names = List.of(names);
        }

        public LeafBuilder keyType(KeyType type) {
            this.keyType = Objects.requireNonNull(type);
            return this;
        }

        public LeafBuilder validity(Instant from, Instant until) {
            this.notBefore = from;
            this.notAfter = until;
            return this;
        }

        /** Valid from 30 days ago until yesterday. */
        public LeafBuilder expired() {
            Instant now = Instant.now();
            return validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        }

        /** Valid from tomorrow for 30 days. */
        public LeafBuilder notYetValid() {
            Instant now = Instant.now();
            return validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(31)));
        }

        /** The subject CN (default: the first name). */
        public LeafBuilder commonName(String name) {
            this.commonName = Objects.requireNonNull(name);
            return this;
        }

        /** No subjectAltName extension at all: the names live only in the subject CN (old style). */
        public LeafBuilder withoutSubjectAltNames() {
            this.subjectAltNames = false;
            return this;
        }

        public Issued issue() {
            KeyPair pair = generate(keyType);
            X500Name subject = new X500Name("CN=" + (commonName == null ? names.getFirst() : commonName) + ",O=relay tests");
            List<String> sans = subjectAltNames ? names : List.of();
            X509Certificate certificate = issuer == null
                    ? build(subject, pair, subject, pair, notBefore, notAfter, sans, false)
                    : build(subject, pair, issuer.name, issuer.pair, notBefore, notAfter, sans, false);
            return new Issued(certificate, pair.getPrivate(), issuer == null ? List.of() : issuer.chain);
        }
    }

    /**
     * A server certificate and its key.
     *
     * @param issuers the issuing CA and those above it (empty for self-signed); not part of {@link #chainPem()}
     */
    public record Issued(X509Certificate certificate, PrivateKey key, List<X509Certificate> issuers) {

        /** The certificate, then its issuers up to the root: the chain a server presents in full. */
        public List<X509Certificate> fullChain() {
            List<X509Certificate> all = new ArrayList<>();
            all.add(certificate);
            all.addAll(issuers);
            return List.copyOf(all);
        }

        /** The certificate as PEM, as a server presents it (our CAs are roots: nothing else to send). */
        public String chainPem() {
            return toPem(List.of(certificate));
        }

        public String keyPem(KeyFormat format) {
            return toPem(key, certificate.getPublicKey(), format);
        }

        /** Writes {@code <name>.crt.pem} and {@code <name>.key.pem} (PKCS#8) into the directory. */
        public TlsFiles write(Path directory, String name) {
            return write(directory, name, KeyFormat.PKCS8);
        }

        public TlsFiles write(Path directory, String name, KeyFormat format) {
            Path cert = TestCertificates.write(directory.resolve(name + ".crt.pem"), chainPem());
            Path keyFile = TestCertificates.write(directory.resolve(name + ".key.pem"), keyPem(format));
            return new TlsFiles(cert, keyFile);
        }
    }

    private static KeyPair generate(KeyType type) {
        try {
            KeyPairGenerator generator;
            if (type == KeyType.EC) {
                generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            } else {
                generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048, RANDOM);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate build(X500Name subject, KeyPair subjectPair, X500Name issuer, KeyPair issuerPair,
            Instant notBefore, Instant notAfter, List<String> names, boolean ca) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(63, RANDOM).add(BigInteger.ONE),
                    Date.from(notBefore), Date.from(notAfter), subject, subjectPair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectPair.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerPair.getPublic()));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                int usage = KeyUsage.digitalSignature
                        | ("RSA".equals(subjectPair.getPublic().getAlgorithm()) ? KeyUsage.keyEncipherment : 0);
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                List<GeneralName> altNames = new ArrayList<>();
                for (String name : names) {
                    altNames.add(isIpLiteral(name) ? new GeneralName(GeneralName.iPAddress, name) : new GeneralName(GeneralName.dNSName, name));
                }
                if (!altNames.isEmpty()) {
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(altNames.toArray(GeneralName[]::new)));
                }
            }
            String algorithm = "RSA".equals(issuerPair.getPrivate().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(issuerPair.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("minting a test certificate", e);
        }
    }

    private static boolean isIpLiteral(String name) {
        // BouncyCastle's GeneralName checks the literal itself; no resolver is ever asked
        return IP_LIKE.matcher(name).matches();
    }

    private static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
