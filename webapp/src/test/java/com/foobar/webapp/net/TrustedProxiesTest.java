package com.foobar.webapp.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedProxiesTest {

    private static InetAddress ip(String literal) {
        return IpLiterals.parse(literal);
    }

    @Test
    void parsesRangesAndSingleAddressesIntoCanonicalCidrs() {
        TrustedProxies p = TrustedProxies.parse(" 10.0.0.0/8, 192.168.1.10 ,fd00::/8, ::1, 10.0.0.0/8");
        assertThat(p.ranges()).containsExactly("10.0.0.0/8", "192.168.1.10/32", "fd00:0:0:0:0:0:0:0/8",
                "0:0:0:0:0:0:0:1/128");
        assertThat(p.isEmpty()).isFalse();
        assertThat(p.contains(ip("10.255.3.4"))).isTrue();
        assertThat(p.contains(ip("11.0.0.1"))).isFalse();
        assertThat(p.contains(ip("192.168.1.10"))).isTrue();
        assertThat(p.contains(ip("192.168.1.11"))).isFalse();
        assertThat(p.contains(ip("fd12::5"))).isTrue();
        assertThat(p.contains(ip("fe80::1"))).isFalse();
        assertThat(p.contains(ip("::1"))).isTrue();
        assertThat(p.contains(null)).isFalse();
    }

    @Test
    void blankMeansNoneAndNoneTrustsNobody() {
        assertThat(TrustedProxies.parse(null)).isSameAs(TrustedProxies.NONE);
        assertThat(TrustedProxies.parse("  ")).isSameAs(TrustedProxies.NONE);
        assertThat(TrustedProxies.NONE.isEmpty()).isTrue();
        assertThat(TrustedProxies.NONE.contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void zeroPrefixTrustsEveryAddressOfThatFamily() {
        TrustedProxies p = TrustedProxies.parse("0.0.0.0/0");
        assertThat(p.contains(ip("203.0.113.9"))).isTrue();
        assertThat(p.contains(ip("2001:db8::1"))).isFalse();
    }

    @Test
    void refusesHostNamesBadPrefixesHostBitsAndEmptyEntriesNamingTheEntry() {
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/8,lb.example.com"))
                .isInstanceOf(InvalidTrustedProxyException.class)
                .hasMessage("[1] \"lb.example.com\" is not an IP address or CIDR range"
                        + " (e.g. 10.0.0.0/8, 192.168.1.10, fd00::/8; host names are not allowed)");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33"))
                .hasMessage("[0] \"10.0.0.0/33\" has a bad prefix length (0-32)");
        assertThatThrownBy(() -> TrustedProxies.parse("fd00::/129"))
                .hasMessage("[0] \"fd00::/129\" has a bad prefix length (0-128)");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/x")).hasMessageContaining("bad prefix length");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.1/8"))
                .hasMessage("[0] \"10.0.0.1/8\" has host bits set (did you mean 10.0.0.0/8?)");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/8,"))
                .hasMessage("[1] \"\" is empty (expected ADDRESS or ADDRESS/PREFIX)");
        assertThatThrownBy(() -> TrustedProxies.parse("256.1.1.1")).hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> TrustedProxies.parse("1.2.3")).hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> TrustedProxies.parse("fd00:::1:/8")).hasMessageContaining("is not an IP address");
    }

    @Test
    void clientIsTheRightMostUntrustedHopOfTheChain() {
        TrustedProxies p = TrustedProxies.parse("127.0.0.1,10.0.0.0/8");
        // The client wrote 6.6.6.6 itself; the edge proxy appended the real peer, an internal hop appended its own.
        assertThat(ForwardedClientCustomizer.clientOf(p, List.of("6.6.6.6", "203.0.113.7", "10.1.2.3")))
                .isEqualTo(new InetSocketAddress(ip("203.0.113.7"), 0));
        assertThat(ForwardedClientCustomizer.clientOf(p, List.of("203.0.113.7:5123")))
                .isEqualTo(new InetSocketAddress(ip("203.0.113.7"), 5123));
        assertThat(ForwardedClientCustomizer.clientOf(p, List.of("[2001:db8::7]:443", "10.0.0.1")))
                .isEqualTo(new InetSocketAddress(ip("2001:db8::7"), 443));
        assertThat(ForwardedClientCustomizer.clientOf(p, List.of("2001:db8::7")))
                .isEqualTo(new InetSocketAddress(ip("2001:db8::7"), 0));
    }

    @Test
    void allTrustedChainGivesTheLeftMostHop() {
        TrustedProxies p = TrustedProxies.parse("10.0.0.0/8");
        assertThat(ForwardedClientCustomizer.clientOf(p, List.of("10.0.0.5", "10.0.0.9")))
                .isEqualTo(new InetSocketAddress(ip("10.0.0.5"), 0));
    }

    @Test
    void malformedHopEndsTheWalkAtTheLastGoodOneAndNeverResolvesNames() {
        TrustedProxies p = TrustedProxies.parse("10.0.0.0/8");
        assertThat(ForwardedClientCustomizer.clientOf(p, List.of("203.0.113.7", "unknown", "10.0.0.9")))
                .isEqualTo(new InetSocketAddress(ip("10.0.0.9"), 0));
        assertThat(ForwardedClientCustomizer.clientOf(p, List.of("localhost"))).isNull();
        assertThat(ForwardedClientCustomizer.clientOf(p, List.of("1.2.3.4:99999"))).isNull();
        assertThat(ForwardedClientCustomizer.clientOf(p, List.of("[::1"))).isNull();
        assertThat(ForwardedClientCustomizer.clientOf(p, List.of())).isNull();
    }
}
