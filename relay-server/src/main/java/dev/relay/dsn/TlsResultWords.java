package dev.relay.dsn;

import dev.relay.outcome.Cause;

/** Plain words for the causes a host can fail a TLS policy with, for the human part. */
final class TlsResultWords {
    private TlsResultWords() {}

    static String words(Cause cause) {
        return switch (cause) {
            case STARTTLS_NOT_SUPPORTED -> "the server does not offer an encrypted connection (STARTTLS)";
            case CERTIFICATE_HOST_MISMATCH -> "the server's certificate is not valid for the server's name";
            case CERTIFICATE_EXPIRED -> "the server's certificate has expired";
            case CERTIFICATE_NOT_TRUSTED -> "the server's certificate is not issued by a trusted authority";
            case VALIDATION_FAILURE -> "the server's certificate could not be validated";
            case STS_POLICY_FETCH_ERROR -> "the domain's MTA-STS policy could not be fetched";
            case STS_POLICY_INVALID -> "the domain's MTA-STS policy is not valid";
            case STS_WEBPKI_INVALID -> "the certificate of the domain's MTA-STS policy web server is not valid";
            case TLSA_INVALID -> "the server's certificate does not match the domain's DANE (TLSA) records";
            case DNSSEC_INVALID -> "the DNSSEC signatures of the domain's records could not be validated";
            case DANE_REQUIRED -> "the domain's DANE (TLSA) records require a secure connection the server did not offer";
            case MX_MISMATCH -> "the server is not one of the mail servers the policy lists";
            case DNS_LOOKUP_FAILED, MX_HOST_UNRESOLVABLE -> "the server's address could not be found in the DNS";
            case CONNECT_FAILED -> "the server could not be reached";
            case TIMED_OUT, CONNECTION_LOST -> "the connection to the server broke off or timed out";
            default -> "the server could not be used (" + cause.label() + ")";
        };
    }
}
