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
        // The handlers go in before the start: the relay reports ready inside start(), and a
        // signal from then on must find them (without, SIGHUP would end the JVM with exit 129 and
        // SIGTERM with 143, skipping the orderly stop). A signal that comes before start() has
        // returned is carried out right after.
        Signals signals = new Signals();
        // SIGHUP reloads, as postfix reload does
        try {
            StopSignals.onSignal("HUP", signals::hangUp);
        } catch (IllegalArgumentException unsupported) {
            log.warn("{}: kill -HUP does not reload; use relay.jar reload", unsupported.getMessage());
        }
        // SIGTERM and SIGINT stop the relay gracefully and the process exits 0 (a JVM killed by a
        // signal would exit 143, which Docker and systemd report as a failure). The shutdown hook
        // covers any other way the JVM goes down.
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                StopSignals.onSignal(signal, signals::stop);
            } catch (IllegalArgumentException unsupported) {
                log.debug("cannot handle SIG{} here; the shutdown hook will stop the relay", signal);
            }
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("relay-shutdown").unstarted(signals::stopNow));
        RelayApplication application = RelayApplication.builder(loaded.config()).reloadFrom(config::load).start();
        signals.started(application);
        application.awaitStopped();
        return 0;
    }

    /** Reload and stop asked by signals: before the application has started, remembered and done once it has. */
    private static final class Signals {
        private RelayApplication application;
        private boolean reloadAsked;
        private boolean stopAsked;

        synchronized void hangUp() {
            if (application == null) {
                reloadAsked = true;
            } else {
                reload(application);
            }
        }

        synchronized void stop() {
            if (application == null) {
                stopAsked = true;
            } else {
                stopInBackground(application);
            }
        }

        /** The shutdown hook: the JVM is going down, so the stop runs on this thread. */
        void stopNow() {
            RelayApplication running;
            synchronized (this) {
                running = application;
            }
            if (running != null) {
                running.stop();
            }
        }

        synchronized void started(RelayApplication started) {
            application = started;
            if (stopAsked) {
                stopInBackground(started);
            } else if (reloadAsked) {
                reload(started);
            }
            stopAsked = false;
            reloadAsked = false;
        }

        private static void reload(RelayApplication running) {
            Thread.ofPlatform().name("relay-reload").start(() -> running.reload("SIGHUP"));
        }

        private static void stopInBackground(RelayApplication running) {
            Thread.ofPlatform().name("relay-stop").start(running::stop);
        }
    }
}
