package dev.relay.smtp;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code relay-networks} setting: client addresses that may relay without AUTH. Parsed
 * without DNS: only IP literals with an optional prefix length are accepted.
 */
public final class RelayNetworks {
    public static final RelayNetworks NONE = new RelayNetworks(List.of(), List.of());

    private final List<IpSubnetFilterRule> rules;
    private final List<String> source;

    private RelayNetworks(List<IpSubnetFilterRule> rules, List<String> source) {
        this.rules = List.copyOf(rules);
        this.source = List.copyOf(source);
    }

    /**
     * Parses CIDR blocks such as {@code 127.0.0.0/8} and {@code ::1/128}; a bare address means
     * that one host.
     *
     * @throws IllegalArgumentException naming the first entry that is not a CIDR block
     */
    public static RelayNetworks parse(List<String> cidrs) {
        List<IpSubnetFilterRule> rules = new ArrayList<>(cidrs.size());
        for (String cidr : cidrs) {
            rules.add(parseOne(cidr));
        }
        return new RelayNetworks(rules, cidrs);
    }

    private static IpSubnetFilterRule parseOne(String cidr) {
        if (cidr == null) {
            throw new IllegalArgumentException("relay network is null");
        }
        String text = cidr.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        boolean v4 = NetUtil.isValidIpV4Address(address);
        boolean v6 = !v4 && NetUtil.isValidIpV6Address(address);
        if (!v4 && !v6) {
            throw new IllegalArgumentException("not a CIDR block (IP address[/prefix]): " + cidr);
        }
        int maxPrefix = v4 ? 32 : 128;
        int prefix = maxPrefix;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not a CIDR block (bad prefix length): " + cidr);
            }
            prefix = Integer.parseInt(digits);
            if (prefix > maxPrefix) {
                throw new IllegalArgumentException("not a CIDR block (prefix over " + maxPrefix + "): " + cidr);
            }
        }
        InetAddress parsed = NetUtil.createInetAddressFromIpAddressString(address);
        return new IpSubnetFilterRule(parsed, prefix, IpFilterRuleType.ACCEPT);
    }

    /** Whether {@code client} lies in one of the networks. */
    public boolean contains(InetAddress client) {
        InetSocketAddress probe = new InetSocketAddress(unmapped(client), 0);
        for (IpSubnetFilterRule rule : rules) {
            if (rule.matches(probe)) {
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
