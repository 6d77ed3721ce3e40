package dev.relay.cli;

import dev.relay.admin.AdminJson;
import dev.relay.admin.TlsRptRoutes;
import dev.relay.tlsrpt.SentReport;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tls-rpt", description = "TLS reporting (RFC 8460): what is counted, what was sent.",
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {TlsRptCommand.Show.class, TlsRptCommand.Send.class})
final class TlsRptCommand {

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Show today's TLS session counts per policy domain, the reports waiting, and the reports of "
                    + "the last days with what became of them (from the running relay's admin server).",
                    "Exit 0 when the relay answered, 2 when it could not be asked."})
    static final class Show extends AdminAction {
        @Parameters(index = "0", arity = "0..1", paramLabel = "DOMAIN", description = "only this policy domain")
        String domain;

        @Option(names = "--json", description = "print the admin API's JSON")
        boolean json;

        @Override
        int run(AdminClient admin, PrintWriter out) throws Exception {
            String path = "/api/tls-rpt" + (domain == null ? ""
                    : "?domain=" + URLEncoder.encode(domain.toLowerCase(Locale.ROOT), StandardCharsets.UTF_8));
            String body = QueueCommand.expectOk(admin.get(path), "tls-rpt");
            if (json) {
                out.println(body);
                return 0;
            }
            TlsRptRoutes.Shown shown = AdminJson.mapper().readValue(body, TlsRptRoutes.Shown.class);
            if (!shown.enabled()) {
                out.println("TLS reporting is off (tls-rpt.enabled: false): nothing is counted or sent.");
                return 0;
            }
            out.println("Today (" + shown.today() + ", UTC):" + (shown.domains().isEmpty() ? " no sessions counted" : ""));
            for (TlsRptRoutes.DomainToday d : shown.domains()) {
                out.println(QueueText.safe("  " + d.domain() + ": " + d.successes() + " successful, " + d.failures()
                        + " failed"));
                for (TlsRptRoutes.PolicyToday p : d.policies()) {
                    out.println("    policy " + p.type() + ": " + p.successes() + " successful, " + p.failures() + " failed");
                    for (TlsRptRoutes.FailureToday f : p.failureDetails()) {
                        out.println(QueueText.safe("      " + f.count() + " x " + f.resultType()
                                + f.receivingMx().map(mx -> " at " + mx).orElse("")
                                + f.receivingIp().map(ip -> " [" + ip + "]").orElse("")
                                + f.reasonCode().map(code -> " (" + code + ")").orElse("")));
                    }
                }
            }
            out.println("Reports waiting to be sent: " + shown.waitingReports());
            out.println("Reports of the last days:" + (shown.reports().isEmpty() ? " none" : ""));
            for (SentReport r : shown.reports()) {
                out.println(QueueText.safe("  " + r.day() + " " + r.domain() + " "
                        + (r.destination().isEmpty() ? "" : "to " + r.destination() + " ") + r.result() + " ("
                        + r.detail() + ")" + " at " + r.at()));
            }
            return 0;
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Make the running relay send its TLS reports now: those waiting for their moment after "
                    + "midnight, and for each domain counted today a report of today so far (to test a setup; the "
                    + "day's whole report still follows after midnight).",
                    "Exit 0 when the relay started them (see tls-rpt show for their results), 1 when it refused "
                            + "(TLS reporting off), 2 when it could not be asked."})
    static final class Send extends AdminAction {
        @Option(names = "--now", required = true, description = "send now, without waiting for the random moment")
        boolean now;

        @Override
        int run(AdminClient admin, PrintWriter out) throws Exception {
            String body = QueueCommand.expectOk(admin.post("/api/tls-rpt/send"), "tls-rpt send");
            TlsRptRoutes.Started started = AdminJson.mapper().readValue(body, TlsRptRoutes.Started.class);
            if (started.reports().isEmpty()) {
                out.println("nothing to send: no counts from earlier days waiting and none today");
            } else {
                out.println("sending " + started.reports().size() + " report(s); see tls-rpt show for how they went:");
                started.reports().forEach(r -> out.println(QueueText.safe("  " + r)));
            }
            return 0;
        }
    }
}
