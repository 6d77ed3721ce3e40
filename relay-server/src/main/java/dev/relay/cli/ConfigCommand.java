package dev.relay.cli;

import dev.relay.config.ConfigPrinter;
import dev.relay.config.RelayConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "config", description = "Work with the configuration.", mixinStandardHelpOptions = true,
        subcommands = {ConfigCommand.Check.class})
final class ConfigCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate the configuration and print the effective values (secrets masked).")
    static final class Check implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            RelayConfig effective = config.load();
            var out = spec.commandLine().getOut();
            out.println("# " + config.describeSource() + ": valid");
            out.print(ConfigPrinter.toYaml(effective));
            out.flush();
            return 0;
        }
    }
}
