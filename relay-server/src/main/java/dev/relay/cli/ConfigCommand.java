package dev.relay.cli;

import dev.relay.config.ConfigPrinter;
import dev.relay.config.LoadedConfig;
import dev.relay.auth.UsersFile;
import dev.relay.tls.ServerTlsContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "config", description = "Work with the configuration.", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        subcommands = {ConfigCommand.Check.class})
final class ConfigCommand {

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Validate the configuration and print the effective values (secrets masked).")
    static final class Check implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            LoadedConfig loaded = config.load();
            // the contents of the files the config names must load too, not only exist
            loaded.config().tls().ifPresent(ServerTlsContext::load);
            UsersFile.forConfig(loaded.config().usersFile());
            var out = spec.commandLine().getOut();
            out.println("# " + loaded.source() + ": valid");
            loaded.warnings().forEach(warning -> out.println("# warning: " + warning));
            out.print(ConfigPrinter.effectiveYaml(loaded.config()));
            out.flush();
            return 0;
        }
    }
}
