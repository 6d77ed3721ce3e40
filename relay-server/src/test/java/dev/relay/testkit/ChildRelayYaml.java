package dev.relay.testkit;

import java.nio.file.Path;

/**
 * The configuration file of a relay the tests start as a process of its own (a child JVM, the
 * built jar): loopback only, and delivery asking a DNS server on a port where nothing listens,
 * so messages stay queued (deferred) instead of leaving the machine. The integration tests use
 * it too.
 */
public final class ChildRelayYaml {
    private ChildRelayYaml() {}

    /**
     * One plain listener without AUTH on {@code smtpPort}, relaying for 127.0.0.0/8, then
     * {@link #storageDnsAndAdmin}; the admin section comes last, so a caller may append its keys.
     */
    public static String minimal(int smtpPort, Path spool, int deadDnsPort, Path mtaStsCache, int adminPort) {
        return """
                hostname: relay.test
                listeners:
                  - address: 127.0.0.1:%d
                    starttls: off
                    auth: off
                relay-networks: [127.0.0.0/8]
                """.formatted(smtpPort) + storageDnsAndAdmin(spool, deadDnsPort, mtaStsCache, adminPort);
    }

    /**
     * The sections every child relay has alike: its spool (with a small free-space floor, as test
     * disks are small), the DNS server on 127.0.0.1:{@code deadDnsPort}, the policy cache, and the
     * admin server on loopback, last.
     */
    public static String storageDnsAndAdmin(Path spool, int deadDnsPort, Path mtaStsCache, int adminPort) {
        return """
                spool:
                  directory: %s
                  min-free-space: 1MB
                delivery:
                  dns:
                    servers: [127.0.0.1:%d]
                mta-sts:
                  cache-directory: %s
                admin:
                  address: 127.0.0.1:%d
                """.formatted(spool, deadDnsPort, mtaStsCache, adminPort);
    }
}
