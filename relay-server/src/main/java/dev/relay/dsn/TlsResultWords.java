package dev.relay.dsn;

import java.util.List;
import java.util.Map;

/** Plain words for the RFC 8460 result types a delivery failure may name, for the human part. */
final class TlsResultWords {
    private TlsResultWords() {}

    private static final Map<String, String> WORDS = Map.of(
            "starttls-not-supported", "the server does not offer an encrypted connection (STARTTLS)",
            "certificate-host-mismatch", "the server's certificate is not valid for the server's name",
            "certificate-expired", "the server's certificate has expired",
            "certificate-not-trusted", "the server's certificate is not issued by a trusted authority",
            "validation-failure", "the server's certificate could not be validated",
            "sts-policy-fetch-error", "the domain's MTA-STS policy could not be fetched",
            "sts-policy-invalid", "the domain's MTA-STS policy is not valid",
            "sts-webpki-invalid", "the certificate of the domain's MTA-STS policy web server is not valid");

    /** Longest first, so no type is found inside another. */
    static final List<String> TYPES = WORDS.keySet().stream()
            .sorted((a, b) -> a.length() != b.length() ? b.length() - a.length() : a.compareTo(b))
            .toList();

    static String words(String type) {
        return WORDS.getOrDefault(type, type);
    }
}
