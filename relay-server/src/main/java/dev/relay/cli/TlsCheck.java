package dev.relay.cli;

import dev.relay.dane.TlsaRecord;
import dev.relay.dane.TlsaRecords;
import dev.relay.delivery.DaneHost;
import dev.relay.delivery.DaneLookup;
import dev.relay.delivery.HostPlan;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.DnsResult;
import dev.relay.dns.MxHost;
import dev.relay.dns.Validated;
import dev.relay.mtasts.Policy;
import dev.relay.mtasts.PolicyDecision;
import dev.relay.outcome.AppliedPolicy;
import dev.relay.tls.CertificateCheck;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code tls check} diagnostic: everything that decides how the relay protects mail to one
 * domain, host by host. First DANE: the DNSSEC status of the MX lookup, each host's TLSA records
 * with their verdict and a STARTTLS probe whose certificate is checked against them. Then the
 * MTA-STS section exactly as {@code mta-sts check} prints it ({@link MtaStsCheck}). Last, which
 * policy governs each host ({@link HostPlan}, the rule delivery itself follows) and whether the
 * host passes it. Deliverable means: at least one host passes the policy that governs it, and
 * whether the domain has an MTA-STS policy could be found out.
 */
final class TlsCheck {

    private final DnsResolver dns;
    private final MtaStsCheck mtaSts;
    private final PrintWriter out;

    TlsCheck(MtaStsCheck mtaSts, PrintWriter out) {
        this.dns = mtaSts.dns();
        this.mtaSts = mtaSts;
        this.out = out;
    }

    /** Prints the report; true when the relay could deliver to the domain under the policies that govern it. */
    boolean run(String rawDomain) {
        String domain = rawDomain.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        out.println("TLS check for " + domain);
        out.println();
        out.println("=== DANE (RFC 7672) ===");
        out.println();
        Validated<DnsResult<MxHost>> mx = mtaSts.await(dns.lookupMxValidated(domain));
        List<String> hosts = mx(domain, mx);
        Map<String, DaneHost> dane = new LinkedHashMap<>();
        Map<String, Boolean> danePasses = new LinkedHashMap<>();
        DaneLookup lookup = new DaneLookup(dns);
        for (String host : hosts) {
            out.println();
            out.println("MX host " + host);
            DaneLookup.Found found = mtaSts.await(lookup.host(host, mx.isSecure()));
            out.println("  addresses: " + addresses(found.addresses()));
            dane.put(host, found.dane());
            tlsa(host, found.dane()).ifPresent(passes -> danePasses.put(host, passes));
        }
        out.println();
        out.println("=== MTA-STS (RFC 8461) ===");
        out.println();
        mtaSts.run(domain, "MTA-STS alone: ");
        out.println();
        out.println("=== Policy per MX host ===");
        out.println();
        Optional<Policy> policy = mtaSts.inForce();
        AppliedPolicy stsApplied = policy.map(p -> switch (p.mode()) {
            case ENFORCE -> AppliedPolicy.MTA_STS_ENFORCE;
            case TESTING -> AppliedPolicy.MTA_STS_TESTING;
            case NONE -> AppliedPolicy.NONE;
        }).orElse(AppliedPolicy.NONE);
        int usable = 0;
        for (String host : hosts) {
            HostPlan plan = HostPlan.of(dane.get(host), PolicyDecision.forHost(domain, policy, host), stsApplied);
            boolean passes = switch (plan) {
                case HostPlan.Skip skip -> false;
                case HostPlan.Connect connect -> connect.policy().isDane()
                        ? danePasses.getOrDefault(host, false)
                        : mtaSts.hostPasses(host).orElse(false);
            };
            out.println("  " + host + ": " + governs(plan) + " -> " + (passes ? "usable" : "NOT usable"));
            if (passes) {
                usable++;
            }
        }
        out.println();
        boolean deliverable = usable > 0 && !mtaSts.policyUnknown();
        out.println("Result: " + conclusion(domain, hosts, usable, deliverable));
        out.flush();
        return deliverable;
    }

    private List<String> mx(String domain, Validated<DnsResult<MxHost>> mx) {
        out.println("MX lookup of " + domain + " (delivery.dns.dnssec: " + dns.dnssec().label() + ")");
        List<String> hosts = new ArrayList<>();
        switch (mx.result()) {
            case DnsResult.Found<MxHost> found -> found.values().forEach(h -> {
                out.println("  " + h.preference() + " " + h.name());
                hosts.add(h.name());
            });
            case DnsResult.NoData<MxHost> none -> {
                out.println("  no MX records: the domain itself is the implicit MX (RFC 5321 5.1)");
                hosts.add(domain);
            }
            case DnsResult.NullMx nullMx -> out.println("  null MX (RFC 7505): the domain accepts no mail");
            case DnsResult.NoSuchDomain<MxHost> nx -> out.println("  the domain does not exist");
            case DnsResult.TemporaryFailure<MxHost> failure -> out.println("  MX lookup failed: " + failure.reason());
        }
        out.println("  -> DNSSEC " + mx.status().label() + (mx.isSecure()
                ? ": DANE applies to the hosts with secure TLSA records"
                : ": DANE does not apply to this domain (RFC 7672 section 2.2.1)"));
        return hosts;
    }

    /** Prints the host's DANE state and, when it has TLSA records, probes it; whether it passed DANE. */
    private Optional<Boolean> tlsa(String host, DaneHost dane) {
        return switch (dane) {
            case DaneHost.NotApplicable none -> {
                out.println("  no DANE: " + none.why());
                yield Optional.empty();
            }
            case DaneHost.Unverifiable unverifiable -> {
                out.println("  TLSA: " + unverifiable.reason());
                out.println("  -> never used: DANE cannot be checked, and the relay does not fall back to less");
                yield Optional.of(false);
            }
            case DaneHost.Verify verify -> {
                out.println("  TLSA " + verify.tlsaName() + " (DNSSEC secure)");
                verify.records().records().forEach(r -> out.println("    " + record(r) + "  usable, "
                        + r.knownUsage().map(TlsaRecord.Usage::label).orElse("")));
                unusable(verify.records().ignored());
                out.println("    a DANE-TA certificate must name " + String.join(" or ", verify.referenceNames()));
                yield Optional.of(probe(host, Optional.of(verify.check()), true));
            }
            case DaneHost.EncryptOnly encrypt -> {
                out.println("  TLSA " + encrypt.tlsaName() + " (DNSSEC secure), no usable record:");
                unusable(encrypt.records().ignored());
                out.println("    STARTTLS is mandatory, the certificate is not checked");
                yield Optional.of(probe(host, Optional.empty(), false));
            }
        };
    }

    private void unusable(List<TlsaRecords.Unusable> records) {
        records.forEach(u -> out.println("    " + record(u.record()) + "  unusable: " + u.why()));
    }

    private boolean probe(String host, Optional<CertificateCheck> check, boolean verify) {
        MtaStsCheck.Probe probe = mtaSts.probe(host, check);
        probe.lines().forEach(line -> out.println("  " + line));
        // a reachable host without TLS fails DANE either way
        boolean passes = verify ? probe.verified() : probe.tls();
        out.println("  -> " + (passes ? "passes" : "FAILS") + " DANE"
                + (verify ? " (TLS verified by the TLSA records)" : " (TLS without authentication)"));
        return passes;
    }

    private static String governs(HostPlan plan) {
        return switch (plan) {
            case HostPlan.Skip skip when skip.policy().isDane() -> "DANE, skipped (" + skip.cause().label() + ")";
            case HostPlan.Skip skip -> "MTA-STS enforce, skipped (" + skip.cause().label() + ")";
            case HostPlan.Connect connect -> switch (connect.policy()) {
                case DANE -> "DANE (usable TLSA records; MTA-STS is not consulted for this host)";
                case DANE_ENCRYPT -> "DANE with only unusable TLSA records: STARTTLS mandatory, unauthenticated";
                case MTA_STS_ENFORCE -> "MTA-STS enforce";
                case MTA_STS_TESTING -> "MTA-STS testing (opportunistic TLS)";
                case NONE -> "no policy (opportunistic TLS)";
            };
        };
    }

    private static String addresses(DnsResult<InetAddress> result) {
        return switch (result) {
            case DnsResult.Found<InetAddress> found -> found.values().stream().map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(", "));
            case DnsResult.NoData<InetAddress> none -> "none";
            case DnsResult.NoSuchDomain<InetAddress> nx -> "none (the name does not exist)";
            case DnsResult.TemporaryFailure<InetAddress> failure -> "lookup failed: " + failure.reason();
        };
    }

    /** As in a zone file, the data cut short when long: {@code 3 1 1 8d02536c...}. */
    private static String record(TlsaRecord record) {
        String text = record.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private String conclusion(String domain, List<String> hosts, int usable, boolean deliverable) {
        if (mtaSts.policyUnknown()) {
            return "whether " + domain + " has an MTA-STS policy cannot be found out; the relay holds its mail (see"
                    + " the MTA-STS section)";
        }
        if (hosts.isEmpty()) {
            return "no MX host to deliver to";
        }
        return deliverable
                ? "the relay can deliver to " + domain + ": " + usable + " of " + hosts.size()
                        + " MX hosts pass the policy that governs them"
                : "the relay CANNOT deliver to " + domain + ": no MX host passes the policy that governs it (mail"
                        + " is deferred)";
    }
}
