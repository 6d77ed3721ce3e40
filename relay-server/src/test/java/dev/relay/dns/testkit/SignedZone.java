package dev.relay.dns.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A DNSSEC-signed zone made in the test, for {@link TestDnsServer}: one ECDSA P-256 key
 * (algorithm 13) as both KSK and ZSK, an NSEC chain over the zone's names, and an RRSIG on every
 * authoritative RRset, made by dnsjava's {@link DNSSEC#sign}.
 *
 * <pre>{@code
 * SignedZone zone = SignedZone.builder("secure.test")
 *         .add("mx.secure.test. A 127.0.0.1", "_25._tcp.mx.secure.test. TLSA 3 1 1 ...")
 *         .build();
 * dns.add(zone.records());
 * Files.writeString(anchors, zone.dsAnchor());   // for delivery.dns.trust-anchors
 * }</pre>
 * NS records below the apex are delegations: left unsigned and marked in the NSEC bitmap, as
 * a parent zone has them (add the child's DS to the parent to make it a secure delegation).
 * Tampering is the test's business: replace a record of {@link #records()} after signing, sign
 * with {@link Builder#signingKey another key}, or sign with dates in the past.
 */
public final class SignedZone {

    private static final long TTL = 300;

    private final Name apex;
    private final DNSKEYRecord dnskey;
    private final List<Record> records;

    private SignedZone(Name apex, DNSKEYRecord dnskey, List<Record> records) {
        this.apex = apex;
        this.dnskey = dnskey;
        this.records = List.copyOf(records);
    }

    public static Builder builder(String apex) {
        return new Builder(name(apex));
    }

    /** A fresh ECDSA P-256 key pair. */
    public static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record to serve: the data, the DNSKEY, the NSEC chain and all RRSIGs. */
    public List<Record> records() {
        return records;
    }

    public Record[] recordArray() {
        return records.toArray(Record[]::new);
    }

    public DNSKEYRecord dnskey() {
        return dnskey;
    }

    /** The zone's DS record (SHA-256), for a parent zone or a trust-anchor file. */
    public DSRecord ds() {
        return new DSRecord(apex, DClass.IN, TTL, DNSSEC.Digest.SHA256, dnskey);
    }

    /** The DS as a zone-file line: a trust anchor. */
    public String dsAnchor() {
        return ds().toString() + "\n";
    }

    /** The DNSKEY as a zone-file line: a trust anchor too. */
    public String dnskeyAnchor() {
        return dnskey.toString() + "\n";
    }

    public static final class Builder {
        private final Name apex;
        private final List<Record> data = new ArrayList<>();
        private KeyPair key = newKey();
        private KeyPair signingKey;
        private Instant inception = Instant.now().minus(Duration.ofHours(1));
        private Instant expiration = Instant.now().plus(Duration.ofDays(30));

        private Builder(Name apex) {
            this.apex = apex;
        }

        /** Records in zone-file syntax, absolute names; an SOA and NS for the apex are made up if missing. */
        public Builder add(String... lines) {
            for (String line : lines) {
                try (Master master = new Master(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), Name.root, TTL)) {
                    Record r;
                    while ((r = master.nextRecord()) != null) {
                        add(r);
                    }
                } catch (IOException e) {
                    throw new IllegalArgumentException("not zone-file syntax: " + line, e);
                }
            }
            return this;
        }

        public Builder add(Record... records) {
            for (Record r : records) {
                if (!r.getName().subdomain(apex)) {
                    throw new IllegalArgumentException(r.getName() + " is not in " + apex);
                }
                data.add(r);
            }
            return this;
        }

        /** The zone's key (its DNSKEY); default a fresh one. */
        public Builder key(KeyPair key) {
            this.key = Objects.requireNonNull(key);
            return this;
        }

        /** Signs with another key than the published DNSKEY's: every signature is bogus. */
        public Builder signingKey(KeyPair other) {
            this.signingKey = Objects.requireNonNull(other);
            return this;
        }

        /** The signatures' validity; default from an hour ago for 30 days. */
        public Builder validity(Instant from, Instant until) {
            this.inception = from;
            this.expiration = until;
            return this;
        }

        public SignedZone build() {
            List<Record> all = new ArrayList<>(data);
            if (all.stream().noneMatch(r -> r.getType() == Type.SOA && r.getName().equals(apex))) {
                all.add(record(Type.SOA, "ns." + apex + " hostmaster." + apex + " 1 3600 600 86400 60"));
            }
            if (all.stream().noneMatch(r -> r.getType() == Type.NS && r.getName().equals(apex))) {
                all.add(record(Type.NS, "ns." + apex));
            }
            DNSKEYRecord dnskey;
            try {
                dnskey = new DNSKEYRecord(apex, DClass.IN, TTL, DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY,
                        DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.ECDSAP256SHA256, key.getPublic());
            } catch (DNSSEC.DNSSECException e) {
                throw new IllegalStateException(e);
            }
            all.add(dnskey);
            all.addAll(nsecChain(all));
            List<Record> signed = new ArrayList<>(all);
            for (RRset set : rrsets(all)) {
                if (set.getType() == Type.NS && !set.getName().equals(apex)) {
                    continue; // a delegation: the child signs its own NS
                }
                try {
                    signed.add(DNSSEC.sign(set, dnskey, (signingKey == null ? key : signingKey).getPrivate(), inception, expiration));
                } catch (DNSSEC.DNSSECException e) {
                    throw new IllegalStateException(e);
                }
            }
            return new SignedZone(apex, dnskey, signed);
        }

        private Record record(int type, String rdata) {
            try {
                return Record.fromString(apex, type, DClass.IN, TTL, rdata, apex);
            } catch (IOException e) {
                throw new IllegalArgumentException(rdata, e);
            }
        }

        /** One NSEC per owner name, in canonical order, the last pointing back at the apex. */
        private List<Record> nsecChain(List<Record> all) {
            TreeMap<Name, TreeSet<Integer>> types = new TreeMap<>();
            for (Record r : all) {
                types.computeIfAbsent(r.getName(), n -> new TreeSet<>()).add(r.getType());
            }
            List<Name> owners = new ArrayList<>(types.keySet());
            List<Record> chain = new ArrayList<>();
            for (int i = 0; i < owners.size(); i++) {
                Name owner = owners.get(i);
                TreeSet<Integer> present = types.get(owner);
                present.add(Type.NSEC);
                present.add(Type.RRSIG);
                Name next = owners.get((i + 1) % owners.size());
                chain.add(new NSECRecord(owner, DClass.IN, 60, next, present.stream().mapToInt(Integer::intValue).toArray()));
            }
            return chain;
        }

        private static List<RRset> rrsets(List<Record> all) {
            Map<String, RRset> sets = new LinkedHashMap<>();
            for (Record r : all) {
                sets.computeIfAbsent(r.getName() + "/" + r.getType(), k -> new RRset()).addRR(r);
            }
            return List.copyOf(sets.values());
        }
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
