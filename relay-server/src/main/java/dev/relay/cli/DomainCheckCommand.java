package dev.relay.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What {@code mta-sts check} and {@code tls check} share: the configuration, DOMAIN and
 * {@code --timeout}, a check built from them ({@link CheckTarget}), and exit 0 when a sender
 * could deliver, 1 when not.
 */
abstract class DomainCheckCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Mixin
    CheckTarget target;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String command = spec.parent().name() + " " + spec.name();
        return target.run(command, config, out, (check, domain) -> check(check, domain, out)) ? 0 : 1;
    }

    /** Prints what the check finds about {@code domain}; whether a sender could deliver. */
    abstract boolean check(MtaStsCheck check, String domain, PrintWriter out);
}
