package dev.relay.cli;

import dev.relay.auth.UsersFile;
import dev.relay.config.ConfigPrinter;
import dev.relay.config.LoadedConfig;
import dev.relay.dns.DnsResolver;
import dev.relay.dns.DnsSettings;
import dev.relay.network.NetworkIo;
import dev.relay.tls.ServerTlsContext;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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
            PortsInUse.warnings(loaded.config()).forEach(warning -> out.println("# warning: " + warning));
            out.print(ConfigPrinter.effectiveYaml(loaded.config()));
            systemResolvers(loaded.config().delivery().dns()).ifPresent(out::println);
            out.println(transport(loaded.config().network().io()));
            out.flush();
            return 0;
        }

        /** Which transport {@code network.io} gives on this machine; a warning when it names one this system forbids. */
        private static String transport(NetworkIo io) {
            try {
                return "# network.io is " + io.label() + ": " + io.transport().label() + " on this system";
            } catch (IllegalStateException e) {
                return "# warning: " + e.getMessage();
            }
        }

        /** With no servers configured, which ones delivery would ask: the system's, found as delivery finds them. */
        private static Optional<String> systemResolvers(DnsSettings dns) {
            if (!dns.servers().isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of("# delivery.dns.servers is empty: the system's resolvers are used: "
                        + DnsResolver.serversFor(dns).stream().map(DnsResolver::describe).collect(Collectors.joining(", ")));
            } catch (IllegalStateException e) {
                return Optional.of("# warning: delivery.dns.servers is empty and the system names no resolvers: "
                        + "delivery would be off");
            }
        }
    }
}
