package dev.relay.smtp.server;

import dev.relay.settings.Cidr;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code relay-networks} setting: client addresses that may relay without AUTH. Parsed
 * without DNS: only IP literals with an optional prefix length are accepted.
 */
public final class RelayNetworks {
    public static final RelayNetworks NONE = new RelayNetworks(List.of(), List.of());

    private final List<Cidr> networks;
    private final List<String> source;

    private RelayNetworks(List<Cidr> networks, List<String> source) {
        this.networks = List.copyOf(networks);
        this.source = List.copyOf(source);
    }

    /**
     * Parses CIDR blocks such as {@code 127.0.0.0/8} and {@code ::1/128}; a bare address means
     * that one host.
     *
     * @throws IllegalArgumentException naming the first entry that is not a CIDR block
     */
    public static RelayNetworks parse(List<String> cidrs) {
        List<Cidr> networks = new ArrayList<>(cidrs.size());
        for (String cidr : cidrs) {
            if (cidr == null) {
                throw new IllegalArgumentException("relay network is null");
            }
            try {
                networks.add(Cidr.parse(cidr));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a CIDR block: " + e.getMessage(), e);
            }
        }
        return new RelayNetworks(networks, cidrs);
    }

    /** Whether {@code client} lies in one of the networks. */
    public boolean contains(InetAddress client) {
        InetAddress plain = unmapped(client);
        for (Cidr network : networks) {
            if (network.contains(plain)) {
                return true;
            }
        }
        return false;
    }

    /** The blocks as configured. */
    public List<String> asConfigured() {
        return source;
    }

    /** A dual-stack socket may report an IPv4 client as ::ffff:a.b.c.d; match it as IPv4. */
    static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] bytes = v6.getAddress();
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return address;
                }
            }
            if ((bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff) {
                try {
                    return Inet4Address.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
                } catch (UnknownHostException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
        }
        return address;
    }

    @Override
    public String toString() {
        return source.toString();
    }
}
