package dev.relay.cli;

import dev.relay.admin.AdminJson;
import dev.relay.admin.TlsPolicyRoutes;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tls-policy suspend|resume|list}: the running relay's local TLS policy overrides through
 * its admin API. Exit codes as {@code queue}: 0 done; 1 the relay refused; 2 it could not be asked.
 */
@Command(name = "tls-policy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Suspend or resume MTA-STS enforcement for a domain, or list the overrides in force.",
        subcommands = {TlsPolicyCommand.Suspend.class, TlsPolicyCommand.Resume.class, TlsPolicyCommand.ListOverrides.class})
final class TlsPolicyCommand {

    /** A subcommand about one recipient domain's policy. */
    abstract static class OneDomain extends AdminAction {
        @Parameters(paramLabel = "DOMAIN", description = "recipient domain")
        String domain;
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Suspend MTA-STS enforcement for DOMAIN: its policy is applied as testing (failures still "
                    + "logged, counted and reported, mail goes) until the time is up (at most 30d).")
    static final class Suspend extends OneDomain {
        @Option(names = "--for", required = true, paramLabel = "DURATION", description = "how long, like 2h, 24h or 7d (at most 30d)")
        String length;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why, for the log and the list")
        String reason;

        @Override
        int run(AdminClient admin, PrintWriter out) throws Exception {
            String path = TlsPolicyRoutesPaths.of(domain, "suspend") + "?for=" + encode(length) + "&reason=" + encode(reason);
            TlsPolicyRoutes.Listed done = AdminJson.mapper().readValue(
                    QueueCommand.expectOk(admin.post(path), domain), TlsPolicyRoutes.Listed.class);
            out.println(QueueText.safe(done.domain()) + ": MTA-STS enforcement suspended until " + done.until().orElseThrow()
                    + " (" + done.remaining().orElse("") + " from now)");
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Lift the suspension of DOMAIN: its published policy is enforced again.")
    static final class Resume extends OneDomain {
        @Override
        int run(AdminClient admin, PrintWriter out) throws Exception {
            QueueCommand.expectOk(admin.post(TlsPolicyRoutesPaths.of(domain, "resume")), domain);
            out.println(QueueText.safe(domain.toLowerCase(Locale.ROOT)) + ": suspension lifted, MTA-STS enforced as published");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "List the TLS policy overrides in force: suspensions and tls-policy.overrides.")
    static final class ListOverrides extends AdminAction {
        @Option(names = "--json", description = "Print the admin API's JSON.")
        boolean json;

        @Override
        int run(AdminClient admin, PrintWriter out) throws Exception {
            String body = QueueCommand.expectOk(admin.get("/api/tls-policy"), "the overrides");
            TlsPolicyRoutes.Overrides all = AdminJson.mapper().readValue(body, TlsPolicyRoutes.Overrides.class);
            if (json) {
                out.println(AdminJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(all));
                return 0;
            }
            if (all.overrides().isEmpty()) {
                out.println("no TLS policy overrides in force");
                return 0;
            }
            for (TlsPolicyRoutes.Listed o : all.overrides()) {
                StringBuilder line = new StringBuilder()
                        .append(o.domain()).append("  ").append(o.kind()).append(" (").append(o.source())
                        .append(", mode ").append(o.mode());
                if (!o.mx().isEmpty()) {
                    line.append(", mx ").append(String.join(", ", o.mx()));
                }
                line.append(")");
                o.until().ifPresent(until -> line.append("  until ").append(until).append(" (")
                        .append(o.remaining().orElse("")).append(" left)"));
                o.setBy().ifPresent(by -> line.append("  by ").append(by));
                line.append("  reason: ").append(o.reason());
                out.println(QueueText.safe(line.toString()));
            }
            return 0;
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The admin API path of one domain's action; the domain is checked here so no path can be smuggled. */
    static final class TlsPolicyRoutesPaths {
        private TlsPolicyRoutesPaths() {}

        static String of(String domain, String action) {
            String d = domain.toLowerCase(Locale.ROOT);
            if (d.isEmpty() || !d.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
                throw new UserError("not a domain name: '" + QueueText.safe(domain) + "'");
            }
            return "/api/tls-policy/" + d + "/" + action;
        }
    }
}
