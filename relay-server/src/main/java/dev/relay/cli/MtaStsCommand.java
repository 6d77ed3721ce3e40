package dev.relay.cli;

import dev.relay.admin.AdminJson;
import dev.relay.admin.MtaStsRoutes;
import dev.relay.config.RelayConfig;
import dev.relay.mtasts.PolicyStore;
import dev.relay.dns.DnsResolver;
import dev.relay.mtasts.PolicyFetcher;
import dev.relay.smtp.client.ClientTimeouts;
import dev.relay.smtp.client.SmtpClient;
import dev.relay.tls.ClientTlsContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "mta-sts", description = "MTA-STS diagnostics.", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {MtaStsCommand.Check.class, MtaStsCommand.Refresh.class})
final class MtaStsCommand {

    /** A host name of two or more LDH labels (A-labels for IDNs), an optional final dot. */
    static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}\\.?$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.?");

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Show what a sender sees of DOMAIN: the _mta-sts TXT record, the policy fetched live, the MX "
                    + "hosts with their policy match, and a STARTTLS probe of each MX with its certificate.",
                    "Uses the DNS servers, extra trust and ports of the configuration.",
                    "Exit 0 when a sender could deliver under the policy, 1 when not, 2 on usage errors."})
    static final class Check extends DomainCheckCommand {
        @Override
        boolean check(MtaStsCheck check, String domain, java.io.PrintWriter out) {
            return check.run(domain);
        }
    }

    /**
     * Builds an {@link MtaStsCheck} from the configuration (DNS servers and DNSSEC settings, extra
     * trust, ports, a step timeout) and runs {@code use} with it; for {@code mta-sts check} and
     * {@code tls check}. The check also compares the relay's own cached policy of {@code domain}
     * (read from the cache directory, never changed) with the live one.
     */
    static boolean runCheck(ConfigOption config, int timeoutSeconds, java.io.PrintWriter out, String domain,
            java.util.function.Function<MtaStsCheck, Boolean> use) {
        if (timeoutSeconds < 1) {
            throw new UserError("--timeout: must be at least 1 second");
        }
        RelayConfig relay = config.load().config();
        Duration wait = Duration.ofSeconds(timeoutSeconds);
        DnsResolver dns;
        try {
            dns = DnsResolver.create(relay.delivery().dns());
        } catch (RuntimeException e) {
            throw new UserError("delivery.dns: no usable DNS resolver: " + e.getMessage());
        }
        ClientTlsContext tls = ClientTlsContext.fromConfig(relay.delivery().tls(), Clock.systemUTC());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (SmtpClient smtp = SmtpClient.builder(tls).heloName(relay.hostname())
                .timeouts(ClientTimeouts.uniform(wait)).ioThreads(1).build()) {
            PolicyFetcher fetcher = PolicyFetcher.builder(dns, tls, group).port(relay.mtaSts().httpsPort())
                    .connectTimeout(wait).totalTimeout(wait.multipliedBy(2)).build();
            return use.apply(new MtaStsCheck(dns, fetcher, smtp, relay.delivery().port(), wait, out,
                    PolicyStore.peek(relay.mtaSts().cacheDirectory(), domain),
                    relay.mtaSts().cacheDirectory().toString()));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Make the running relay look up DOMAIN's TXT record and fetch its policy now "
                    + "(through its admin server), and print what is in force afterwards.",
                    "Exit 0 when the relay answered, 1 when it refused (e.g. MTA-STS is off), 2 when it could not be asked."})
    static final class Refresh extends AdminAction {
        @Parameters(index = "0", paramLabel = "DOMAIN", description = "the recipient domain, e.g. example.com")
        String domain;

        @Override
        void checkArguments() {
            if (!DOMAIN.matcher(domain).matches()) {
                throw new UserError("mta-sts refresh: '" + domain + "' is not a domain name (A-labels, e.g. example.com)");
            }
        }

        @Override
        int run(AdminClient admin, java.io.PrintWriter out) throws Exception {
            String body = QueueCommand.expectOk(admin.post("/api/mta-sts/" + domain + "/refresh"), domain);
            MtaStsRoutes.Refreshed found = AdminJson.mapper().readValue(body, MtaStsRoutes.Refreshed.class);
            out.println(QueueText.safe(switch (found.result()) {
                case "active" -> found.domain() + ": policy " + found.mode().orElse("?") + ", id " + found.id().orElse("?")
                        + ", fetched " + found.fetchedAt().map(Object::toString).orElse("?") + ", in force until "
                        + found.expiresAt().map(Object::toString).orElse("?") + found.detail().map(d -> " (" + d + ")").orElse("");
                case "no_policy" -> found.domain() + ": no policy in force (" + found.detail().orElse("") + ")";
                default -> found.domain() + ": could not be determined (" + found.detail().orElse("") + "); "
                        + "mail for it is deferred";
            }));
            return 0;
        }
    }
}
