package dev.relay.cli;

import dev.relay.config.RelayConfig;
import dev.relay.settings.HostPort;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * For {@code config check}: which of the addresses the relay would listen on are taken right
 * now, so a clash shows before {@code run}. Each is bound for a moment and released. Only "in
 * use" is reported: other refusals (a port below 1024 for a user without the capability the
 * relay will have) say nothing about the port.
 */
final class PortsInUse {
    private PortsInUse() {}

    /** One warning line per taken address, naming its key. */
    static List<String> warnings(RelayConfig config) {
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < config.listeners().size(); i++) {
            check("listeners[" + i + "].address", config.listeners().get(i).address(), warnings);
        }
        check("admin.address", config.admin().address(), warnings);
        return warnings;
    }

    private static void check(String key, HostPort address, List<String> warnings) {
        if (address.port() == 0) {
            return; // any free port
        }
        InetSocketAddress socketAddress = new InetSocketAddress(address.host(), address.port());
        if (socketAddress.isUnresolved()) {
            return; // the run would name the unknown host itself
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the relay binds: a port in TIME_WAIT is not taken
            probe.bind(socketAddress);
        } catch (BindException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("in use")) {
                warnings.add(key + ": " + address + " is in use now (another program listens there); the relay could not start");
            }
        } catch (IOException e) {
            // not a verdict about the port
        }
    }
}
