package dev.relay.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
        "127.0.0.0/8, 127.0.0.0/8",
        "10.1.2.3, 10.1.2.3/32",
        "::1/128, ::1/128",
        "::1, ::1/128",
        "FD00::/8, fd00::/8",
        "2001:db8:0:0:1:0:0:0/96, 2001:db8:0:0:1::/96",
        "0.0.0.0/0, 0.0.0.0/0",
        "::/0, ::/0",
    })
    void parsesToCanonicalText(String text, String canonical) {
        assertThat(Cidr.parse(text)).hasToString(canonical);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.1/8 | did you mean 10.0.0.0/8?",
        "10.0.0.0/33 | longer than the 32 bits of IPv4",
        "::1/129 | longer than the 128 bits of IPv6",
        "256.0.0.0/8 | is not an IP address",
        "example.com/24 | is not an IP address",
        "10.0.0.0/ | expected a prefix length",
        "10.0.0.0/x | expected a prefix length",
        "1:2:3/64 | is not an IP address",
    })
    void rejectsBadNetworksWithAReason(String text, String reason) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }

    @Test
    void containsMatchesTheFamilyAndThePrefix() throws Exception {
        Cidr loopback = Cidr.parse("127.0.0.0/8");
        assertThat(loopback.contains(InetAddress.getByName("127.1.2.3"))).isTrue();
        assertThat(loopback.contains(InetAddress.getByName("128.0.0.1"))).isFalse();
        assertThat(loopback.contains(InetAddress.getByName("::1"))).isFalse();
        Cidr net = Cidr.parse("192.168.16.0/20");
        assertThat(net.contains(InetAddress.getByName("192.168.31.255"))).isTrue();
        assertThat(net.contains(InetAddress.getByName("192.168.32.0"))).isFalse();
        assertThat(Cidr.parse("::1/128").contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").isEverything()).isTrue();
    }
}
