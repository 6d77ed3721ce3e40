package dev.relay.cli;

import dev.relay.RelayApplication;
import dev.relay.config.LoadedConfig;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Start the relay.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        LoadedConfig loaded = config.load();
        log.info("configuration from {}", loaded.source());
        loaded.warnings().forEach(warning -> log.warn("config: {}", warning));
        RelayApplication application = RelayApplication.start(loaded.config());
        Thread hook = Thread.ofPlatform().name("relay-shutdown").unstarted(application::stop);
        Runtime.getRuntime().addShutdownHook(hook);
        application.awaitStopped();
        return 0;
    }
}
