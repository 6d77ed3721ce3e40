package dev.relay.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

        @Mixin
        CheckTarget target;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            return target.run("tls check", config, out, (check, domain) -> new TlsCheck(check, out).run(domain)) ? 0 : 1;
        }
    }
}
