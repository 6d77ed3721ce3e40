package dev.relay.cli;

import dev.relay.RelayApplication;
import dev.relay.config.LoadedConfig;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Start the relay.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        LoadedConfig loaded = config.load();
        log.info("configuration from {}", loaded.source());
        loaded.warnings().forEach(warning -> log.warn("config: {}", warning));
        // SIGHUP reloads, as postfix reload does; without a handler the JVM would exit 129. It is
        // installed before the start, since a HUP may come as soon as the relay reports ready; one
        // that comes before start() has returned is carried out right after.
        ReloadOnHangUp hangUp = new ReloadOnHangUp();
        try {
            StopSignals.onSignal("HUP", hangUp::signalled);
        } catch (IllegalArgumentException unsupported) {
            log.info("cannot handle SIGHUP here; reload with relay.jar reload");
        }
        RelayApplication application = RelayApplication.builder(loaded.config()).reloadFrom(config::load).start();
        hangUp.started(application);
        // SIGTERM and SIGINT stop the relay gracefully and the process exits 0 (a JVM killed by a
        // signal would exit 143, which Docker and systemd report as a failure). The shutdown hook
        // covers any other way the JVM goes down.
        Runnable stop = () -> Thread.ofPlatform().name("relay-stop").start(application::stop);
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                StopSignals.onSignal(signal, stop);
            } catch (IllegalArgumentException unsupported) {
                log.debug("cannot handle SIG{} here; the shutdown hook will stop the relay", signal);
            }
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("relay-shutdown").unstarted(application::stop));
        application.awaitStopped();
        return 0;
    }

    /** SIGHUP to reload: before the application has started, remembered and done once it has. */
    private static final class ReloadOnHangUp {
        private RelayApplication application;
        private boolean pending;

        synchronized void signalled() {
            if (application == null) {
                pending = true;
            } else {
                reload(application);
            }
        }

        synchronized void started(RelayApplication started) {
            application = started;
            if (pending) {
                pending = false;
                reload(started);
            }
        }

        private static void reload(RelayApplication running) {
            Thread.ofPlatform().name("relay-reload").start(() -> running.reload("SIGHUP"));
        }
    }
}
