package dev.relay.cli;

import java.io.PrintWriter;
import java.util.function.BiFunction;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** DOMAIN and {@code --timeout}, as {@code mta-sts check} and {@code tls check} take them. */
final class CheckTarget {

    @Parameters(index = "0", paramLabel = "DOMAIN", description = "the recipient domain, e.g. example.com")
    String domain;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "time limit per network step (default 15)")
    int timeoutSeconds;

    /**
     * Checks that DOMAIN is a domain name, then runs {@code use} with a check built from the
     * configuration ({@link MtaStsCommand#runCheck}); {@code command} names the command in a usage error.
     */
    boolean run(String command, ConfigOption config, PrintWriter out, BiFunction<MtaStsCheck, String, Boolean> use) {
        if (!MtaStsCommand.DOMAIN.matcher(domain).matches()) {
            throw new UserError(command + ": '" + domain + "' is not a domain name (A-labels, e.g. example.com)");
        }
        return MtaStsCommand.runCheck(config, timeoutSeconds, out, domain, check -> use.apply(check, domain));
    }
}
