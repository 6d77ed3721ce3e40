package dev.relay.tls;

import dev.relay.text.DomainForm;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Whether a server certificate is valid for a host name, per RFC 6125 section 6.4 as MTA-STS
 * (RFC 8461 section 4.2) asks for it:
 * <ul>
 *   <li>the subjectAltName dNSName entries are the only identities. The subject CN is never read:
 *       RFC 8461 section 4.2 says the certificate "MUST have a subject alternative name (SAN)
 *       with a DNS-ID matching the host name", so a certificate naming the host only in its CN,
 *       or whose SAN holds only IP addresses, is not valid for it;</li>
 *   <li>comparison ignores ASCII case and one trailing dot;</li>
 *   <li>a wildcard is only {@code *} as the whole leftmost label, and stands for exactly one
 *       label: {@code *.example.com} matches {@code a.example.com}, not {@code example.com} nor
 *       {@code a.b.example.com}; partial wildcards ({@code f*.example.com}) and wildcards over a
 *       single label ({@code *.com}) match nothing;</li>
 *   <li>an IP address never matches: MX hosts are names.</li>
 * </ul>
 * Done here rather than by the TLS engine's endpoint identification, so that the same code
 * runs for the JDK and the OpenSSL provider, and for connections that accept any certificate.
 */
public final class HostnameMatcher {

    private static final int SAN_DNS_NAME = 2;

    private HostnameMatcher() {}

    /** Whether the certificate is valid for the host name. */
    public static boolean matches(X509Certificate certificate, String host) {
        for (String name : identities(certificate)) {
            if (matches(name, host)) {
                return true;
            }
        }
        return false;
    }

    /** The names the certificate is checked against: its subjectAltName dNSNames (maybe none). */
    public static List<String> identities(X509Certificate certificate) {
        return dnsNames(certificate);
    }

    /**
     * Why the certificate does not match the host, for logs and the MTA-STS diagnostic: the names
     * it has, or, when it has no SAN dNSName, that its subject CN is not read.
     */
    public static String mismatch(X509Certificate certificate, String host) {
        List<String> dnsNames = dnsNames(certificate);
        if (!dnsNames.isEmpty()) {
            return "certificate names " + dnsNames + " do not match " + host;
        }
        List<String> commonNames = commonNames(certificate);
        return "certificate has no DNS name among its subject alternative names"
                + (commonNames.isEmpty() ? "" : " (its subject CN " + commonNames + " is not used)")
                + ", so it is not valid for " + host;
    }

    /** Whether one presented identifier (possibly a wildcard) matches the host name. */
    public static boolean matches(String presented, String host) {
        String name = normalize(presented);
        String reference = normalize(host);
        if (name.isEmpty() || reference.isEmpty() || looksLikeIpAddress(reference) || !isAscii(name)) {
            return false;
        }
        if (name.indexOf('*') < 0) {
            return name.equals(reference);
        }
        if (!name.startsWith("*.") || name.indexOf('*', 1) >= 0) {
            return false;
        }
        String suffix = name.substring(1); // ".example.com"
        if (suffix.indexOf('.', 1) < 0) {
            return false; // "*.com" would vouch for a whole top-level domain
        }
        if (!reference.endsWith(suffix)) {
            return false;
        }
        String label = reference.substring(0, reference.length() - suffix.length());
        return !label.isEmpty() && label.indexOf('.') < 0;
    }

    private static List<String> dnsNames(X509Certificate certificate) {
        Collection<List<?>> entries;
        try {
            entries = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (entries == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (List<?> entry : entries) {
            if (entry.size() >= 2 && entry.get(0) instanceof Integer type && type == SAN_DNS_NAME
                    && entry.get(1) instanceof String name) {
                names.add(name);
            }
        }
        return List.copyOf(names);
    }

    private static List<String> commonNames(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        List<String> names = new ArrayList<>();
        for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
            for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
                ASN1Encodable encodable = value.getValue();
                if (BCStyle.CN.equals(value.getType()) && encodable instanceof ASN1String text) {
                    names.add(text.getString());
                }
            }
        }
        return List.copyOf(names);
    }

    private static String normalize(String name) {
        return DomainForm.canonical(name.trim());
    }

    private static boolean looksLikeIpAddress(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) > 0x7e || name.charAt(i) < 0x21) {
                return false;
            }
        }
        return true;
    }
}
