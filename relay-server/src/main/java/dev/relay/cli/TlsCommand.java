package dev.relay.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;

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
    static final class Check extends DomainCheckCommand {
        @Override
        boolean check(MtaStsCheck check, String domain, PrintWriter out) {
            return new TlsCheck(check, out).run(domain);
        }
    }
}
