package dev.relay.cli;

import dev.relay.dns.DnsResolver;
import dev.relay.dns.DnsResult;
import dev.relay.dns.MxHost;
import dev.relay.mtasts.FetchResult;
import dev.relay.mtasts.Policy;
import dev.relay.mtasts.PolicyFetcher;
import dev.relay.mtasts.PolicyMode;
import dev.relay.mtasts.PolicyParse;
import dev.relay.mtasts.PolicyParser;
import dev.relay.mtasts.PolicyStore;
import dev.relay.mtasts.StsRecord;
import dev.relay.mtasts.StsRecordParser;
import dev.relay.smtp.client.ConnectionFailureException;
import dev.relay.smtp.client.Destination;
import dev.relay.smtp.client.SmtpClient;
import dev.relay.smtp.client.SmtpConnection;
import dev.relay.text.TxtDiscovery;
import dev.relay.tls.CertificateCheck;
import dev.relay.tls.CertificateVerdict;
import dev.relay.tls.TlsDetails;
import dev.relay.tls.TlsRequirement;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code mta-sts check} diagnostic: what a sender sees of one domain, step by step, as RFC
 * 8461 walks it: the TXT record, the policy (fetched live, whatever the relay has cached), the
 * MX hosts with their match against the policy, and a STARTTLS probe of each MX with its
 * certificate and the relay's verdict on it. Deliverable means: under enforce, at least one
 * listed MX takes STARTTLS with a certificate valid for its name; otherwise, at least one MX
 * answers at all.
 */
final class MtaStsCheck {

    private final DnsResolver dns;
    private final PolicyFetcher fetcher;
    private final SmtpClient smtp;
    private final int smtpPort;
    private final Duration wait;
    private final PrintWriter out;
    /** What the relay's own cache holds for the domain ({@code mta-sts.cache-directory}), if anything. */
    private final Optional<PolicyStore.Stored> cached;
    private final String cacheDirectory;
    /** The MX host names the MX section found. */
    private final List<String> mxNames = new ArrayList<>();
    /** Why the TXT lookup failed, when it did: then whether a policy exists is unknown. */
    private Optional<String> txtFailure = Optional.empty();
    /** The policy in force after {@link #run}, when there is one. */
    private Optional<Policy> inForce = Optional.empty();
    /** After {@link #run}: each probed MX host, and whether it passed as the policy demands. */
    private final Map<String, Boolean> hostPasses = new LinkedHashMap<>();

    MtaStsCheck(DnsResolver dns, PolicyFetcher fetcher, SmtpClient smtp, int smtpPort, Duration wait, PrintWriter out,
            Optional<PolicyStore.Stored> cached, String cacheDirectory) {
        this.cached = cached;
        this.cacheDirectory = cacheDirectory;
        this.dns = dns;
        this.fetcher = fetcher;
        this.smtp = smtp;
        this.smtpPort = smtpPort;
        this.wait = wait;
        this.out = out;
    }

    /** Prints the report; true when a sender could deliver to the domain under its policy. */
    boolean run(String rawDomain) {
        return run(rawDomain, "Result: ");
    }

    /** As {@link #run(String)}, the verdict line starting with {@code resultLabel}. */
    boolean run(String rawDomain, String resultLabel) {
        String domain = rawDomain.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        out.println("MTA-STS check for " + domain);
        out.println();
        Optional<String> id = txt(domain);
        out.println();
        Optional<Policy> fetched = policy(domain, id.isPresent());
        inForce = id.isPresent() ? fetched : Optional.empty();
        out.println();
        boolean reachable = mx(domain, inForce);
        out.println();
        cache(domain, id, fetched);
        out.println();
        // one verdict, stated once: a TXT lookup that failed decides it, whatever the fetch said
        boolean deliverable = txtFailure.isEmpty() && reachable;
        out.println(resultLabel + txtFailure.map(reason -> unknownPolicy(domain, reason))
                .orElseGet(() -> conclusion(domain, inForce, reachable)));
        out.flush();
        return deliverable;
    }

    /** The resolver the check asks (the configuration's, with its DNSSEC settings). */
    DnsResolver dns() {
        return dns;
    }

    /** The policy in force, as {@link #run} found it (empty: none, or not determined). */
    Optional<Policy> inForce() {
        return inForce;
    }

    /** Whether {@link #run} could not find out if the domain has a policy (the TXT lookup failed). */
    boolean policyUnknown() {
        return txtFailure.isPresent();
    }

    /** Whether {@link #run} found this MX host usable as the policy demands; empty when it did not probe it. */
    Optional<Boolean> hostPasses(String host) {
        return Optional.ofNullable(hostPasses.get(host));
    }

    private Optional<String> txt(String domain) {
        String name = "_mta-sts." + domain;
        out.println("TXT " + name);
        DnsResult<String> result = await(dns.lookupTxt(name));
        switch (result) {
            case DnsResult.Found<String> records -> {
                records.values().forEach(r -> out.println("  \"" + r + "\""));
                switch (StsRecordParser.parse(records.values())) {
                    case TxtDiscovery.Found<StsRecord> found -> {
                        out.println("  -> valid STSv1 record, id " + found.record().id());
                        return Optional.of(found.record().id());
                    }
                    case TxtDiscovery.NoRecord<StsRecord> none -> out.println("  -> no record starts with v=STSv1: no policy announced");
                    case TxtDiscovery.Invalid<StsRecord> invalid -> out.println("  -> unusable: " + invalid.reason()
                            + " (a sender fetches no new policy)");
                }
            }
            case DnsResult.NoData<String> none -> out.println("  -> no TXT records: no policy announced");
            case DnsResult.NoSuchDomain<String> nx -> out.println("  -> name does not exist: no policy announced");
            case DnsResult.TemporaryFailure<String> failure -> {
                out.println("  -> lookup failed: " + failure.reason());
                txtFailure = Optional.of(failure.reason());
            }
        }
        return Optional.empty();
    }

    private Optional<Policy> policy(String domain, boolean announced) {
        out.println("Policy https://mta-sts." + domain + ":" + fetcher.port() + PolicyFetcher.PATH);
        if (txtFailure.isPresent()) {
            out.println("  (fetched for information only: with the TXT lookup failing a sender does not fetch it)");
        } else if (!announced) {
            out.println("  (fetched for information only: without a valid TXT record a sender does not fetch it)");
        }
        FetchResult result = await(fetcher.fetch(domain));
        switch (result) {
            case FetchResult.Failed failed -> {
                out.println("  -> fetch failed (" + failed.label() + "): " + failed.detail());
                if (announced) {
                    out.println("     a sender with nothing cached delivers as if there were no policy");
                }
                return Optional.empty();
            }
            case FetchResult.Fetched fetched -> {
                fetched.body().lines().limit(50).forEach(line -> out.println("  | " + line));
                switch (PolicyParser.parse(fetched.body())) {
                    case PolicyParse.Valid valid -> {
                        valid.warnings().forEach(w -> out.println("  warning: " + w));
                        Policy policy = valid.policy();
                        out.println("  -> valid: mode " + policy.mode().label() + ", max_age "
                                + policy.maxAge().toSeconds() + " s, mx " + (policy.mx().isEmpty() ? "(none)" : policy.mxText()));
                        return Optional.of(policy);
                    }
                    case PolicyParse.Invalid invalid -> {
                        out.println("  -> invalid: " + invalid.reason());
                        return Optional.empty();
                    }
                }
            }
        }
    }

    /**
     * The relay's cached policy against the live one: the same, older (a new id), or stale (a
     * different policy under the same id, or MX hosts that only the live one matches).
     */
    private void cache(String domain, Optional<String> liveId, Optional<Policy> live) {
        out.println("The relay's cache (" + cacheDirectory + ")");
        if (cached.isEmpty()) {
            out.println("  nothing cached for " + domain);
            return;
        }
        PolicyStore.Stored c = cached.get();
        out.println("  id " + c.id() + ", fetched " + c.fetchedAt() + ", expires " + c.expiresAt() + ": mode "
                + c.policy().mode().label() + ", max_age " + c.policy().maxAge().toSeconds() + " s, mx "
                + (c.policy().mx().isEmpty() ? "(none)" : c.policy().mxText()));
        if (liveId.isEmpty() || live.isEmpty()) {
            out.println("  -> kept: without a live policy to compare, the relay goes on enforcing it until it expires");
            return;
        }
        boolean cachedMatches = mxNames.stream().anyMatch(c.policy()::matchesMx);
        boolean liveMatches = mxNames.stream().anyMatch(live.get()::matchesMx);
        if (!mxNames.isEmpty() && !cachedMatches && liveMatches) {
            out.println("  -> STALE: none of the MX hosts matches the cached policy, the live one does; the relay"
                    + " fetches the policy again at the next delivery and adopts the live one");
        } else if (!c.id().equals(liveId.get())) {
            out.println("  -> older than the live policy (id " + c.id() + ", live id " + liveId.get()
                    + "): the relay fetches the new one at the next delivery");
        } else if (!c.policy().equals(live.get())) {
            out.println("  -> STALE: the domain changed its policy without a new id; senders that do not refetch keep"
                    + " the cached one until " + c.expiresAt() + "; the relay adopts the live one at its next refresh");
        } else {
            out.println("  -> the same as the live policy");
        }
    }

    private boolean mx(String domain, Optional<Policy> policy) {
        out.println("MX hosts of " + domain);
        List<MxHost> hosts = new ArrayList<>();
        switch (await(dns.lookupMx(domain))) {
            case DnsResult.Found<MxHost> found -> hosts.addAll(found.values());
            case DnsResult.NoData<MxHost> none -> {
                out.println("  no MX records: the domain itself is the implicit MX (RFC 5321 5.1)");
                hosts.add(new MxHost(domain, 0));
            }
            case DnsResult.NullMx nullMx -> {
                out.println("  null MX (RFC 7505): the domain accepts no mail");
                return false;
            }
            case DnsResult.NoSuchDomain<MxHost> nx -> {
                out.println("  the domain does not exist");
                return false;
            }
            case DnsResult.TemporaryFailure<MxHost> failure -> {
                out.println("  MX lookup failed: " + failure.reason());
                return false;
            }
        }
        hosts.forEach(host -> mxNames.add(host.name()));
        boolean enforce = policy.map(p -> p.mode() == PolicyMode.ENFORCE).orElse(false);
        int usable = 0;
        for (MxHost host : hosts) {
            boolean matches = policy.map(p -> p.matchesMx(host.name())).orElse(true);
            String match = policy.isEmpty() ? "" : "   policy match: " + (matches ? "yes" : "NO");
            out.println("  " + host.preference() + " " + host.name() + match);
            if (enforce && !matches) {
                out.println("     -> skipped: a sender never delivers to a host the enforce policy does not list");
                hostPasses.put(host.name(), false);
                continue;
            }
            Probe probe = probe(host.name(), Optional.empty());
            probe.lines().forEach(line -> out.println("     " + line));
            boolean passes = enforce ? probe.verified() : probe.reachable();
            if (policy.isPresent() && !enforce && !(matches && probe.verified())) {
                out.println("     -> would fail an enforce policy; delivered anyway in mode " + policy.get().mode().label());
            }
            out.println("     -> " + (passes ? "usable" : "not usable") + (enforce ? " under the enforce policy" : ""));
            hostPasses.put(host.name(), passes);
            if (passes) {
                usable++;
            }
        }
        return usable > 0;
    }

    /**
     * A STARTTLS probe of one host: what it printed, whether it answered, whether STARTTLS
     * succeeded, and whether the certificate passed.
     */
    record Probe(List<String> lines, boolean reachable, boolean tls, boolean verified) {}

    /**
     * Connects to the host's first address on the SMTP port with opportunistic TLS and judges the
     * certificate by {@code check} when given (DANE's TLSA records), else by the Web PKI for the host.
     */
    Probe probe(String host, Optional<CertificateCheck> check) {
        List<String> lines = new ArrayList<>();
        List<InetAddress> addresses = switch (await(dns.lookupAddresses(host))) {
            case DnsResult.Found<InetAddress> found -> found.values();
            case DnsResult.NoData<InetAddress> none -> List.of();
            case DnsResult.NoSuchDomain<InetAddress> nx -> List.of();
            case DnsResult.TemporaryFailure<InetAddress> failure -> {
                lines.add("address lookup failed: " + failure.reason());
                yield List.of();
            }
        };
        if (addresses.isEmpty()) {
            lines.add("no address: cannot be reached");
            return new Probe(lines, false, false, false);
        }
        Destination destination = new Destination(host, new InetSocketAddress(addresses.getFirst(), smtpPort),
                TlsRequirement.OPPORTUNISTIC, check);
        try {
            SmtpConnection connection = smtp.connect(destination).get(wait.toMillis() * 2, TimeUnit.MILLISECONDS);
            try {
                Optional<TlsDetails> tls = connection.tls();
                if (tls.isEmpty()) {
                    lines.add(destination.relayName() + ": connected, STARTTLS not offered (or refused)");
                    return new Probe(lines, true, false, false);
                }
                TlsDetails details = tls.get();
                lines.add(destination.relayName() + ": STARTTLS ok, " + details.summary());
                lines.add("certificate: subject " + details.peerSubject().orElse("(none)"));
                lines.add("             issuer  " + details.peerIssuer().orElse("(none)"));
                lines.add("             expires " + details.peerNotAfter().map(Object::toString).orElse("(unknown)"));
                lines.add("verdict: " + switch (details.verdict()) {
                    case CertificateVerdict.Verified v -> check.isPresent() ? "matches its TLSA records (DANE)"
                            : "valid for " + host;
                    case CertificateVerdict.NotVerified n -> (check.isPresent() ? "does NOT match its TLSA records ("
                            : "NOT valid (") + n.problem().resultType() + "): " + n.detail();
                });
                return new Probe(lines, true, true, details.verified());
            } finally {
                connection.quit();
            }
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof ConnectionFailureException failure
                    ? failure.failure().describe(destination)
                    : String.valueOf(e.getCause());
            lines.add(why);
        } catch (TimeoutException e) {
            lines.add(destination.relayName() + ": no answer within " + wait.multipliedBy(2).toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lines.add("interrupted");
        }
        return new Probe(lines, false, false, false);
    }

    private static String conclusion(String domain, Optional<Policy> policy, boolean deliverable) {
        if (policy.isEmpty()) {
            return deliverable
                    ? "no MTA-STS policy in force for " + domain + "; mail goes with opportunistic TLS"
                    : "no MTA-STS policy in force, but no MX host of " + domain + " could be reached";
        }
        String mode = policy.get().mode().label();
        if (deliverable) {
            return "a sender can deliver to " + domain + " under its " + mode + " policy";
        }
        return policy.get().mode() == PolicyMode.ENFORCE
                ? "a sender CANNOT deliver to " + domain + ": no MX host meets its enforce policy (mail is deferred)"
                : "no MX host of " + domain + " could be reached (mode " + mode + ")";
    }

    private static String unknownPolicy(String domain, String reason) {
        return "whether " + domain + " has an MTA-STS policy cannot be found out (the TXT lookup failed: " + reason
                + "); the relay, with no policy cached, holds its mail for up to mta-sts.policy-unknown-wait, then"
                + " delivers as without a policy";
    }

    <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(wait.toMillis() * 4, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("lookup failed unexpectedly: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new UserError("no answer within " + wait.multipliedBy(4).toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }
}
