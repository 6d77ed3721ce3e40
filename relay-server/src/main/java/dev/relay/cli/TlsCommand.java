package dev.relay.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tls", description = "Outbound TLS diagnostics (DANE and MTA-STS).", mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class, subcommands = {TlsCommand.Check.class})
final class TlsCommand {

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Show how the relay protects mail to DOMAIN, host by host: the DNSSEC status of the MX "
                    + "lookup, each MX host's TLSA records with their verdict and a STARTTLS probe checked against "
                    + "them (DANE), the MTA-STS section as 'mta-sts check' prints it, and which policy governs each host.",
                    "Uses the DNS servers, DNSSEC settings, extra trust and ports of the configuration.",
                    "Exit 0 when the relay could deliver under the policies that govern the hosts, 1 when not, "
                            + "2 on usage errors."})
    static final class Check implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(index = "0", paramLabel = "DOMAIN", description = "the recipient domain, e.g. example.com")
        String domain;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "15",
                description = "time limit per network step (default 15)")
        int timeoutSeconds;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!MtaStsCommand.DOMAIN.matcher(domain).matches()) {
                throw new UserError("tls check: '" + domain + "' is not a domain name (A-labels, e.g. example.com)");
            }
            var out = spec.commandLine().getOut();
            return MtaStsCommand.runCheck(config, timeoutSeconds, out, check -> new TlsCheck(check, out).run(domain))
                    ? 0 : 1;
        }
    }
}
