package dev.relay.dane;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One TLSA record (RFC 6698 section 2.1) as the relay reads it: the three numbers and the
 * certificate association data. Any value 0 to 255 is kept, known or not: whether a record is
 * usable is {@link TlsaRecords}' question, not the parser's. Built from DNS by the resolver.
 *
 * @param usage the certificate usage field
 * @param selector the selector field
 * @param matchingType the matching type field
 * @param data the certificate association data (copied in and out)
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out, and equals and hashCode compare the content
public record TlsaRecord(int usage, int selector, int matchingType, byte[] data) {

    /** The certificate usages of RFC 6698 and RFC 7218's mnemonics. */
    public enum Usage {
        PKIX_TA(0),
        PKIX_EE(1),
        DANE_TA(2),
        DANE_EE(3);

        private final int value;

        Usage(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }

        /** As RFC 7218 writes it, e.g. {@code DANE-EE(3)}. */
        public String label() {
            return name().replace('_', '-') + "(" + value + ")";
        }

        static Optional<Usage> of(int value) {
            return Arrays.stream(values()).filter(u -> u.value == value).findFirst();
        }
    }

    /** What of a certificate the data stands for. */
    public enum Selector {
        /** The whole certificate, DER. */
        CERT(0),
        /** The SubjectPublicKeyInfo, DER. */
        SPKI(1);

        private final int value;

        Selector(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }

        static Optional<Selector> of(int value) {
            return Arrays.stream(values()).filter(s -> s.value == value).findFirst();
        }
    }

    /** How the data is compared: as it is, or as a digest of a given length. */
    public enum Matching {
        FULL(0, "", 0),
        SHA2_256(1, "SHA-256", 32),
        SHA2_512(2, "SHA-512", 64);

        private final int value;
        private final String digest;
        private final int length;

        Matching(int value, String digest, int length) {
            this.value = value;
            this.digest = digest;
            this.length = length;
        }

        public int value() {
            return value;
        }

        /** The JCA digest name; empty for {@link #FULL}. */
        String digest() {
            return digest;
        }

        /** The digest's length in bytes; 0 for {@link #FULL} (any length). */
        int length() {
            return length;
        }

        static Optional<Matching> of(int value) {
            return Arrays.stream(values()).filter(m -> m.value == value).findFirst();
        }
    }

    public TlsaRecord {
        requireOctet("usage", usage);
        requireOctet("selector", selector);
        requireOctet("matching type", matchingType);
        data = Objects.requireNonNull(data, "data").clone();
    }

    /** The usage, when it is one RFC 6698 defines. */
    public Optional<Usage> knownUsage() {
        return Usage.of(usage);
    }

    public Optional<Selector> knownSelector() {
        return Selector.of(selector);
    }

    public Optional<Matching> knownMatching() {
        return Matching.of(matchingType);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The data without a copy, for this package's comparisons. */
    byte[] rawData() {
        return data;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TlsaRecord r && r.usage == usage && r.selector == selector
                && r.matchingType == matchingType && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(usage, selector, matchingType, Arrays.hashCode(data));
    }

    /** As in a zone file: {@code 3 1 1 0a1b...}. */
    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data);
    }

    private static void requireOctet(String field, int value) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("TLSA " + field + " out of range: " + value);
        }
    }
}
