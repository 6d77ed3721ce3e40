package dev.relay.dns;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.relay.dane.TlsaRecord;
import dev.relay.settings.HostPort;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Every DNS question the relay asks for mail goes through here: MX, A/AAAA and TXT, asked of
 * {@code delivery.dns.servers} (or the system's resolvers) with dnsjava, never of the JVM's
 * resolver.
 *
 * <p>Three lookups also say what DNSSEC proved, for DANE: {@link #lookupMxValidated},
 * {@link #lookupAddressesValidated} and {@link #lookupTlsa}. In {@link DnssecMode#VALIDATE} mode they go through dnsjava's validating
 * resolver from the configured trust anchors (the root's by default); in
 * {@link DnssecMode#TRUST_AD} mode the servers' AD bit is believed. Their answers are cached
 * apart from the plain ones, within the same TTL rules; bogus answers are not cached.
 *
 * <p>Lookups are asynchronous and their stages never complete exceptionally: every outcome is
 * a value of a sealed result type, and only its {@code TemporaryFailure} case means "could not
 * find out" (SERVFAIL, REFUSED, timeout, network error, a CNAME loop). NXDOMAIN and "no data"
 * are answers, cached for their negative TTL (RFC 2308); positive answers are cached for their
 * TTL (the least along the CNAME chain); failures are not cached. Address literals are never
 * looked up.
 *
 * <p>Stages complete on dnsjava's and the common pool's threads: do not block in dependent
 * stages. There is nothing to close (dnsjava's selector thread is shared and a daemon). The
 * servers are asked in order: silence, a network error, SERVFAIL or REFUSED from one hands the
 * question to the next, and the lookup fails only when the last one fails too.
 *
 * <pre>{@code
 * DnsResolver dns = DnsResolver.create(config.delivery().dns());
 * dns.lookupMx("example.com").thenAccept(result -> switch (result) { ... });
 * }</pre>
 */
public final class DnsResolver {
    private static final Logger log = LoggerFactory.getLogger(DnsResolver.class);

    private final List<InetSocketAddress> servers;
    private final QueryEngine engine;
    private final AnswerCache cache;
    private final DnssecMode dnssec;
    // the DNSSEC-aware lookups have their own engine and cache: plain lookups stay as they were
    // (no DO bit, no validation cost), and a validated answer is never served to a plain
    // question nor the reverse
    private final Optional<QueryEngine> secureEngine;
    private final AnswerCache secureCache;
    // A cached MX or TXT answer is read by every message to its domain: it is turned into hosts
    // or texts once, not again per message. Weak keys compare by identity, so an entry lives as
    // long as the cached answer it was made from and a new answer is converted afresh. (Upkeep
    // on the caller's thread, as for the answer cache.)
    private final Cache<Answer, DnsResult<MxHost>> mxOfAnswer = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
    private final Cache<Answer, DnsResult<String>> txtOfAnswer = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
    private final RandomGenerator random;
    private final DnsEvents events;
    private final AddressOrder addressOrder;
    private final Name anchoredZone;

    private DnsResolver(Builder b) {
        this.servers = Resolvers.servers(b.servers);
        this.engine = new QueryEngine(Resolvers.create(servers, b.timeout, b.attempts, false));
        this.cache = new AnswerCache(b.cacheSize, ticker(b.clock), b.maxTtl, b.maxNegativeTtl);
        this.dnssec = b.dnssec;
        Clock signatureClock = b.clock.orElse(Clock.systemUTC());
        this.secureEngine = switch (b.dnssec) {
            case OFF -> Optional.empty();
            case TRUST_AD -> Optional.of(new QueryEngine(Resolvers.create(servers, b.timeout, b.attempts, true), true,
                    signatureClock));
            case VALIDATE -> Optional.of(new QueryEngine(
                    Resolvers.validating(servers, b.timeout, b.attempts, b.trustAnchors, signatureClock), true, signatureClock));
        };
        this.secureCache = new AnswerCache(b.cacheSize, ticker(b.clock), b.maxTtl, b.maxNegativeTtl);
        this.random = b.random;
        this.events = b.events;
        this.addressOrder = b.addressOrder;
        this.anchoredZone = b.trustAnchors.zones().stream().findFirst()
                .flatMap(DomainNames::parse).orElse(Name.root);
    }

    /**
     * A resolver for the relay's configuration with every other setting at its default.
     *
     * @throws IllegalArgumentException when a server is not an IP literal, or the trust-anchor
     *     file cannot be read or holds no anchor
     */
    public static DnsResolver create(DnsSettings config) {
        return builder().settings(config).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The servers a resolver for this configuration would ask, in order: the configured ones,
     * or when none are configured the system's, as dnsjava finds them (resolv.conf and friends).
     *
     * @throws IllegalStateException when none are configured and the system names none
     */
    public static List<InetSocketAddress> serversFor(DnsSettings config) {
        return Resolvers.servers(config.servers());
    }

    /** A server as a mail admin writes it: {@code 192.0.2.53:53}, {@code [2001:db8::53]:53}. */
    public static String describe(InetSocketAddress server) {
        String host = server.getAddress() == null ? server.getHostString() : server.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort();
    }

    /** The servers asked, in order. */
    public List<InetSocketAddress> servers() {
        return servers;
    }

    /**
     * The MX hosts of a mail domain. An address literal ({@code [192.0.2.1]}) gives
     * {@link DnsResult.NoData}: it is its own destination.
     */
    public CompletionStage<DnsResult<MxHost>> lookupMx(String domain) {
        Objects.requireNonNull(domain, "domain");
        if (DomainNames.addressLiteral(domain).isPresent()) {
            return CompletableFuture.completedFuture(new DnsResult.NoData<>());
        }
        Optional<Name> name = DomainNames.parse(domain);
        if (name.isEmpty()) {
            return CompletableFuture.completedFuture(new DnsResult.NoSuchDomain<>());
        }
        return answer(new Question(name.get(), Type.MX), LookupType.MX).thenApply(this::toMx);
    }

    /**
     * The A and AAAA records of a host, asked in parallel, in the {@link AddressOrder} chosen at
     * build. An address literal comes back as itself without any query. When one family's
     * question fails but the other has addresses, the addresses are the result: they are enough
     * to try delivery.
     */
    public CompletionStage<DnsResult<InetAddress>> lookupAddresses(String host) {
        Objects.requireNonNull(host, "host");
        Optional<InetAddress> literal = DomainNames.addressLiteral(host);
        if (literal.isPresent()) {
            return CompletableFuture.completedFuture(new DnsResult.Found<>(List.of(literal.get())));
        }
        Optional<Name> name = DomainNames.parse(host);
        if (name.isEmpty()) {
            return CompletableFuture.completedFuture(new DnsResult.NoSuchDomain<>());
        }
        String hostName = DomainNames.display(name.get());
        CompletableFuture<Answer> v4 = answer(new Question(name.get(), Type.A), LookupType.A);
        CompletableFuture<Answer> v6 = answer(new Question(name.get(), Type.AAAA), LookupType.AAAA);
        return v4.thenCombine(v6, (a, aaaa) -> toAddresses(hostName, a, aaaa));
    }

    /** The TXT records at a name (e.g. {@code _mta-sts.example.com}), CNAMEs followed. */
    public CompletionStage<DnsResult<String>> lookupTxt(String name) {
        Objects.requireNonNull(name, "name");
        Optional<Name> parsed = DomainNames.parse(name);
        if (parsed.isEmpty() || DomainNames.addressLiteral(name).isPresent()) {
            return CompletableFuture.completedFuture(new DnsResult.NoSuchDomain<>());
        }
        return answer(new Question(parsed.get(), Type.TXT), LookupType.TXT)
                .thenApply(answer -> answer instanceof Answer.Found ? txtOfAnswer.get(answer, DnsResolver::toTxt) : toTxt(answer));
    }

    /** How this resolver learns DNSSEC status ({@code delivery.dns.dnssec}). */
    public DnssecMode dnssec() {
        return dnssec;
    }

    /**
     * The MX hosts of a mail domain with the DNSSEC status of the MX RRset (RFC 7672 section
     * 2.2.1: only hosts from a secure MX lookup are eligible for DANE; a secure NODATA makes the
     * domain itself the TLSA base). Bogus answers are temporary failures with status
     * {@link DnssecStatus#BOGUS}. With DNSSEC off this is {@link #lookupMx}, always insecure.
     */
    public CompletionStage<Validated<DnsResult<MxHost>>> lookupMxValidated(String domain) {
        Objects.requireNonNull(domain, "domain");
        if (secureEngine.isEmpty() || DomainNames.addressLiteral(domain).isPresent()) {
            return lookupMx(domain).thenApply(r -> new Validated<>(r,
                    r instanceof DnsResult.TemporaryFailure<MxHost> ? DnssecStatus.ERROR : DnssecStatus.INSECURE));
        }
        Optional<Name> name = DomainNames.parse(domain);
        if (name.isEmpty()) {
            return CompletableFuture.completedFuture(new Validated<>(new DnsResult.NoSuchDomain<>(), DnssecStatus.INSECURE));
        }
        return secureAnswer(new Question(name.get(), Type.MX), LookupType.MX)
                .thenApply(answer -> new Validated<>(toMx(answer), status(answer)));
    }

    /**
     * The A and AAAA records of a host with their DNSSEC status and the CNAME-expanded name
     * (RFC 7672 section 2.2.2). Asked through the DNSSEC-aware engine; with DNSSEC off this is
     * {@link #lookupAddresses}, always insecure. An address literal is itself, insecure.
     */
    public CompletionStage<ValidatedAddresses> lookupAddressesValidated(String host) {
        Objects.requireNonNull(host, "host");
        Optional<Name> name = DomainNames.parse(host);
        if (secureEngine.isEmpty() || name.isEmpty() || DomainNames.addressLiteral(host).isPresent()) {
            String display = name.map(DomainNames::display).orElse(host.strip());
            return lookupAddresses(host).thenApply(r -> new ValidatedAddresses(r,
                    r instanceof DnsResult.TemporaryFailure<InetAddress> ? DnssecStatus.ERROR : DnssecStatus.INSECURE, display));
        }
        String hostName = DomainNames.display(name.get());
        CompletableFuture<Answer> v4 = secureAnswer(new Question(name.get(), Type.A), LookupType.A);
        CompletableFuture<Answer> v6 = secureAnswer(new Question(name.get(), Type.AAAA), LookupType.AAAA);
        return v4.thenCombine(v6, (a, aaaa) -> {
            DnsResult<InetAddress> result = toAddresses(hostName, a, aaaa);
            DnssecStatus status;
            if (status(a) == DnssecStatus.BOGUS || status(aaaa) == DnssecStatus.BOGUS) {
                status = DnssecStatus.BOGUS;
            } else if (result instanceof DnsResult.TemporaryFailure<InetAddress> || a instanceof Answer.Failed
                    || aaaa instanceof Answer.Failed) {
                // one family failing leaves its DNSSEC status unknown: not "insecure", which would
                // let whoever blocks AAAA queries switch DANE off
                status = DnssecStatus.ERROR;
            } else if (a.secure() && aaaa.secure()) {
                status = DnssecStatus.SECURE;
            } else {
                status = DnssecStatus.INSECURE;
            }
            String expanded = owner(a).or(() -> owner(aaaa)).orElse(hostName);
            return new ValidatedAddresses(result, status, expanded);
        });
    }

    private static Optional<String> owner(Answer answer) {
        return answer instanceof Answer.Found found && !found.records().isEmpty()
                ? Optional.of(DomainNames.display(found.records().getFirst().getName()))
                : Optional.empty();
    }

    /** The TLSA records of an SMTP server on port 25 ({@code _25._tcp.<host>}), with their DNSSEC status. */
    public CompletionStage<TlsaResult> lookupTlsa(String host) {
        return lookupTlsa(host, 25);
    }

    /**
     * The TLSA records of a TCP service ({@code _<port>._tcp.<host>}, RFC 6698 section 3), CNAMEs
     * followed, with their DNSSEC status. With DNSSEC off nothing is asked: {@link TlsaResult.Insecure}.
     * An address literal has no TLSA records.
     */
    public CompletionStage<TlsaResult> lookupTlsa(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (DomainNames.addressLiteral(host).isPresent()) {
            return CompletableFuture.completedFuture(new TlsaResult.NoRecords(false));
        }
        Optional<Name> name = DomainNames.parse("_" + port + "._tcp." + host.strip());
        if (name.isEmpty() || DomainNames.parse(host).isEmpty()) {
            return CompletableFuture.completedFuture(new TlsaResult.NoRecords(false));
        }
        if (secureEngine.isEmpty()) {
            return CompletableFuture.completedFuture(new TlsaResult.Insecure());
        }
        return secureAnswer(new Question(name.get(), Type.TLSA), LookupType.TLSA).thenApply(DnsResolver::toTlsa);
    }

    /**
     * Whether DNSSEC works through the configured servers: asks them, through the DNSSEC-aware
     * path, for the DNSKEY set of the (first) trust anchor's zone ({@code .} by default), which
     * must come back secure when the servers pass DNSSEC records on (validate) or validate
     * themselves (trust-ad). Neither cached nor counted in the lookup metrics. Empty with
     * DNSSEC off. Never completes exceptionally.
     */
    public CompletionStage<Optional<DnssecCheck>> checkDnssec() {
        if (secureEngine.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String zone = anchoredZone.toString();
        return secureEngine.get().resolve(new Question(anchoredZone, Type.DNSKEY))
                .exceptionally(error -> new Answer.Failed(ResultKind.ERROR, String.valueOf(error.getMessage())))
                .thenApply(answer -> Optional.of(judge(zone, answer)));
    }

    private DnssecCheck judge(String zone, Answer answer) {
        if (answer instanceof Answer.Failed failed) {
            return failed.kind() == ResultKind.BOGUS
                    ? new DnssecCheck.NotWorking(zone, "the DNSKEY records of " + zone + " could not be validated ("
                            + failed.reason() + ")")
                    : new DnssecCheck.NoAnswer(zone, failed.reason());
        }
        if (answer instanceof Answer.Found && answer.secure()) {
            return new DnssecCheck.Working(zone);
        }
        if (dnssec == DnssecMode.TRUST_AD) {
            return new DnssecCheck.NotWorking(zone, "the answer for the DNSKEY records of " + zone
                    + " does not carry the AD bit");
        }
        return new DnssecCheck.NotWorking(zone, switch (answer) {
            case Answer.Negative n when n.nameExists() -> "no DNSKEY records for " + zone + " came back";
            case Answer.Negative n -> "the servers say " + zone + " does not exist";
            default -> "the DNSKEY records of " + zone + " came back without what proves them";
        });
    }

    /**
     * Forgets every cached answer about {@code name} (all types), so the next lookup asks the
     * servers; e.g. when an operator asks to refresh one domain's MTA-STS policy now.
     */
    public void invalidate(String name) {
        DomainNames.parse(name).ifPresent(n -> {
            cache.invalidate(n);
            secureCache.invalidate(n);
        });
    }

    /** Forgets every cached answer. */
    public void invalidateAll() {
        cache.invalidateAll();
        secureCache.invalidateAll();
    }

    /**
     * An IP address literal, bare or as SMTP writes it ({@code [192.0.2.1]},
     * {@code [IPv6:2001:db8::1]}); empty for a name. Never asks DNS.
     */
    public static Optional<InetAddress> addressLiteral(String text) {
        return DomainNames.addressLiteral(Objects.requireNonNull(text, "text"));
    }

    @Override
    public String toString() {
        return "DnsResolver" + servers;
    }

    private CompletableFuture<Answer> answer(Question question, LookupType type) {
        return cache.get(question, engine::resolve)
                .exceptionally(error -> new Answer.Failed(ResultKind.ERROR, "the lookup of " + question + " failed: "
                        + Objects.requireNonNullElse(error.getMessage(), "an internal error")))
                .thenApply(answer -> {
                    report(type, answer.kind());
                    if (answer instanceof Answer.Failed failed) {
                        log.debug("{}", failed.reason());
                    }
                    return answer;
                });
    }

    /** A DNSSEC-aware answer, from the secure cache or the secure engine; counted in both metrics. */
    private CompletableFuture<Answer> secureAnswer(Question question, LookupType type) {
        QueryEngine secure = secureEngine.orElseThrow();
        return secureCache.get(question, secure::resolve)
                .exceptionally(error -> new Answer.Failed(ResultKind.ERROR, "DNS failure for " + question + ": " + error))
                .thenApply(answer -> {
                    report(type, answer.kind());
                    DnssecStatus status = status(answer);
                    try {
                        events.dnssecAnswer(status);
                    } catch (RuntimeException e) {
                        log.warn("DNS events listener failed: {}", e.toString());
                    }
                    if (answer instanceof Answer.Failed failed) {
                        log.debug("{}", failed.reason());
                    }
                    return answer;
                });
    }

    private static DnssecStatus status(Answer answer) {
        if (answer instanceof Answer.Failed failed) {
            return failed.kind() == ResultKind.BOGUS ? DnssecStatus.BOGUS : DnssecStatus.ERROR;
        }
        return answer.secure() ? DnssecStatus.SECURE : DnssecStatus.INSECURE;
    }

    /** dnsjava's record to the DANE core's value: the edge where DNS becomes plain data. */
    private static TlsaResult toTlsa(Answer answer) {
        return switch (answer) {
            case Answer.Found found when found.secure() -> new TlsaResult.Secure(found.records().stream()
                    .map(r -> (TLSARecord) r)
                    .map(t -> new TlsaRecord(t.getCertificateUsage(), t.getSelector(), t.getMatchingType(),
                            t.getCertificateAssociationData()))
                    .toList());
            case Answer.Found found -> new TlsaResult.Insecure();
            case Answer.Negative n -> new TlsaResult.NoRecords(n.secure());
            case Answer.Failed failed when failed.kind() == ResultKind.BOGUS -> new TlsaResult.Bogus(failed.reason());
            case Answer.Failed failed -> new TlsaResult.TemporaryFailure(failed.reason());
        };
    }

    private void report(LookupType type, ResultKind kind) {
        try {
            events.lookup(type, kind);
        } catch (RuntimeException e) {
            log.warn("DNS events listener failed: {}", e.toString());
        }
    }

    private DnsResult<MxHost> toMx(Answer answer) {
        return switch (answer) {
            case Answer.Found found -> shuffled(mxOfAnswer.get(found, a -> mxHosts(found.records())));
            case Answer.Negative n -> nothing(n);
            case Answer.Failed failed -> new DnsResult.TemporaryFailure<>(failed.reason());
        };
    }

    /**
     * RFC 7505: a lone MX whose exchange is the root is a null MX (its preference is not
     * checked). Root exchanges beside real ones cannot be connected to and are dropped. A host
     * listed twice keeps its lowest preference.
     */
    private static DnsResult<MxHost> mxHosts(List<Record> records) {
        Map<String, Integer> best = new LinkedHashMap<>();
        for (Record r : records) {
            MXRecord mx = (MXRecord) r;
            if (mx.getTarget().equals(Name.root)) {
                continue;
            }
            best.merge(DomainNames.display(mx.getTarget()), mx.getPriority(), Math::min);
        }
        if (best.isEmpty()) {
            return new DnsResult.NullMx();
        }
        List<MxHost> hosts = new ArrayList<>();
        best.forEach((name, preference) -> hosts.add(new MxHost(name, preference)));
        hosts.sort(Comparator.comparingInt(MxHost::preference).thenComparing(MxHost::name));
        return new DnsResult.Found<>(hosts);
    }

    /** The sorted hosts with each run of equal preference drawn afresh; as it is when there is none. */
    private DnsResult<MxHost> shuffled(DnsResult<MxHost> sorted) {
        if (!(sorted instanceof DnsResult.Found<MxHost> found) || !hasEqualPreferences(found.values())) {
            return sorted;
        }
        List<MxHost> hosts = new ArrayList<>(found.values());
        shuffleEqualPreferences(hosts);
        return new DnsResult.Found<>(hosts);
    }

    private static boolean hasEqualPreferences(List<MxHost> sorted) {
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).preference() == sorted.get(i - 1).preference()) {
                return true;
            }
        }
        return false;
    }

    /** Fisher-Yates within each run of equal preference; the sort above makes it repeatable. */
    private void shuffleEqualPreferences(List<MxHost> hosts) {
        int start = 0;
        while (start < hosts.size()) {
            int end = start + 1;
            while (end < hosts.size() && hosts.get(end).preference() == hosts.get(start).preference()) {
                end++;
            }
            for (int i = end - 1; i > start; i--) {
                int j = start + random.nextInt(i - start + 1);
                hosts.set(j, hosts.set(i, hosts.get(j)));
            }
            start = end;
        }
    }

    private DnsResult<InetAddress> toAddresses(String hostName, Answer a, Answer aaaa) {
        List<InetAddress> v4 = addresses(hostName, a);
        List<InetAddress> v6 = addresses(hostName, aaaa);
        if (!v4.isEmpty() || !v6.isEmpty()) {
            LinkedHashSet<InetAddress> all = new LinkedHashSet<>();
            all.addAll(addressOrder == AddressOrder.IPV4_FIRST ? v4 : v6);
            all.addAll(addressOrder == AddressOrder.IPV4_FIRST ? v6 : v4);
            return new DnsResult.Found<>(List.copyOf(all));
        }
        // RFC 6604: NXDOMAIN is about the name, whatever the type; it outranks a failure of the other question
        if (a.kind() == ResultKind.NXDOMAIN || aaaa.kind() == ResultKind.NXDOMAIN) {
            return new DnsResult.NoSuchDomain<>();
        }
        if (a instanceof Answer.Failed failed) {
            return new DnsResult.TemporaryFailure<>(failed.reason());
        }
        if (aaaa instanceof Answer.Failed failed) {
            return new DnsResult.TemporaryFailure<>(failed.reason());
        }
        return new DnsResult.NoData<>();
    }

    private static List<InetAddress> addresses(String hostName, Answer answer) {
        if (!(answer instanceof Answer.Found found)) {
            return List.of();
        }
        List<InetAddress> out = new ArrayList<>();
        for (Record r : found.records()) {
            byte[] bytes = switch (r) {
                case ARecord a -> a.getAddress().getAddress();
                case AAAARecord aaaa -> aaaa.getAddress().getAddress();
                default -> null;
            };
            if (bytes == null) {
                continue;
            }
            try {
                InetAddress address = InetAddress.getByAddress(hostName, bytes);
                // an AAAA holding an IPv4-mapped address comes back as IPv4 from the JDK: keep families apart
                if ((r instanceof AAAARecord) == !(address instanceof Inet4Address)) {
                    out.add(address);
                }
            } catch (UnknownHostException e) {
                // only thrown for a wrong byte count, which a parsed record cannot have
            }
        }
        return out;
    }

    private static DnsResult<String> toTxt(Answer answer) {
        return switch (answer) {
            case Answer.Found found -> {
                List<String> texts = new ArrayList<>();
                for (Record r : found.records()) {
                    StringBuilder text = new StringBuilder();
                    for (byte[] part : ((TXTRecord) r).getStringsAsByteArrays()) {
                        text.append(new String(part, StandardCharsets.UTF_8));
                    }
                    texts.add(text.toString());
                }
                yield new DnsResult.Found<>(texts);
            }
            case Answer.Negative n -> nothing(n);
            case Answer.Failed failed -> new DnsResult.TemporaryFailure<>(failed.reason());
        };
    }

    /** A negative answer as every lookup gives it: no such domain, or no data. */
    private static <T> DnsResult<T> nothing(Answer.Negative negative) {
        return negative.nameExists() ? new DnsResult.NoData<>() : new DnsResult.NoSuchDomain<>();
    }

    private static Ticker ticker(Optional<Clock> clock) {
        if (clock.isEmpty()) {
            return Ticker.systemTicker();
        }
        Clock c = clock.get();
        return () -> {
            Instant now = c.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    /** Settings of a {@link DnsResolver}; every one has a default. */
    public static final class Builder {
        private List<HostPort> servers = List.of();
        private Duration timeout = Duration.ofSeconds(5);
        private int attempts = 2;
        // ThreadLocalRandom must be fetched on the thread that draws, hence the indirection
        private RandomGenerator random = () -> ThreadLocalRandom.current().nextLong();
        private Optional<Clock> clock = Optional.empty();
        private DnsEvents events = DnsEvents.NONE;
        private AddressOrder addressOrder = AddressOrder.IPV4_FIRST;
        private long cacheSize = 10_000;
        private DnssecMode dnssec = DnssecMode.VALIDATE;
        private TrustAnchors trustAnchors = TrustAnchors.builtIn();
        private Duration maxTtl = Duration.ofDays(1);
        private Duration maxNegativeTtl = Duration.ofHours(1);

        private Builder() {}

        /**
         * The servers, DNSSEC mode and trust anchors of {@code delivery.dns}.
         *
         * @throws IllegalArgumentException when the trust-anchor file cannot be read or holds no anchor
         */
        public Builder settings(DnsSettings settings) {
            servers(settings.servers());
            dnssec(settings.dnssec());
            trustAnchors(settings.trustAnchors().map(TrustAnchors::fromFile).orElseGet(TrustAnchors::builtIn));
            return this;
        }

        /** How DNSSEC status is learnt for the validated lookups; default {@link DnssecMode#VALIDATE}. */
        public Builder dnssec(DnssecMode mode) {
            this.dnssec = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Where validation starts; default {@link TrustAnchors#builtIn()}, the root's. */
        public Builder trustAnchors(TrustAnchors anchors) {
            this.trustAnchors = Objects.requireNonNull(anchors, "anchors");
            return this;
        }

        /** IP literal servers to ask, in order; empty (the default) means the system's. */
        public Builder servers(List<HostPort> servers) {
            this.servers = List.copyOf(servers);
            return this;
        }

        /** How long one attempt waits for an answer; default 5 s. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Attempts per server before giving up; default 2. */
        public Builder attempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
            }
            this.attempts = attempts;
            return this;
        }

        /**
         * Shuffles MX hosts of equal preference; must be safe to call from several threads
         * ({@link java.util.Random} is). Default {@link ThreadLocalRandom}.
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The cache's time, and the validator's (signature dates); default the monotonic
         * {@link System#nanoTime()} for the cache and the system clock for signatures.
         */
        public Builder clock(Clock clock) {
            this.clock = Optional.of(clock);
            return this;
        }

        public Builder events(DnsEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** Default {@link AddressOrder#IPV4_FIRST}. */
        public Builder addressOrder(AddressOrder order) {
            this.addressOrder = Objects.requireNonNull(order, "order");
            return this;
        }

        /** Questions kept in the cache at most; default 10 000. */
        public Builder cacheSize(long entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("cache size must not be negative: " + entries);
            }
            this.cacheSize = entries;
            return this;
        }

        /** The longest a positive answer is kept, whatever its TTL; default 1 day. */
        public Builder maxTtl(Duration maxTtl) {
            this.maxTtl = requireNotNegative(maxTtl);
            return this;
        }

        /** The longest NXDOMAIN or no-data is kept, whatever its SOA says; default 1 hour. */
        public Builder maxNegativeTtl(Duration maxNegativeTtl) {
            this.maxNegativeTtl = requireNotNegative(maxNegativeTtl);
            return this;
        }

        /**
         * @throws IllegalArgumentException when a server is not an IP literal
         * @throws IllegalStateException when no server is configured and the system has none
         */
        public DnsResolver build() {
            return new DnsResolver(this);
        }

        private static Duration requireNotNegative(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("must not be negative: " + d);
            }
            return d;
        }
    }
}
