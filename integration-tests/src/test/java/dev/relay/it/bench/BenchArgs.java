package dev.relay.it.bench;

import java.io.IOException;
import java.net.ServerSocket;

/** The load programs' positional arguments, each optional from where the command line stops, and free ports. */
final class BenchArgs {

    private BenchArgs() {}

    /** Argument {@code index}, or {@code orElse} when the command line has fewer. */
    static String text(String[] args, int index, String orElse) {
        return args.length > index ? args[index] : orElse;
    }

    /** Argument {@code index} as a whole number, or {@code orElse} when the command line has fewer. */
    static int number(String[] args, int index, int orElse) {
        return args.length > index ? Integer.parseInt(args[index]) : orElse;
    }

    /** A port nothing listens on just now, for a server of the run to bind. */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
