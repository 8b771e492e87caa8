package com.foobar.balancer.discovery;

import com.foobar.balancer.config.HostPort;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How an answer changes where a server is. */
class ResolvedAddressTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no lookup
    }

    @Test
    void anIpLiteralIsStaticAndANameStartsWithoutAnAddress() {
        ResolvedAddress literal = ResolvedAddress.initial(HostPort.parse("10.0.0.5:8080"));
        assertThat(literal.status()).isEqualTo(ResolvedAddress.Status.STATIC);
        assertThat(literal.addressText()).isEqualTo("10.0.0.5:8080");
        assertThat(ResolvedAddress.initial(HostPort.parse("[fd00::5]:8080")).addressText()).isEqualTo("[fd00::5]:8080");
        ResolvedAddress name = ResolvedAddress.initial(HostPort.parse("web-1:8080"));
        assertThat(name.status()).isEqualTo(ResolvedAddress.Status.PENDING);
        assertThat(name.address()).isNull();
    }

    @Test
    void theAddressInUseIsKeptWhileTheNameStillGivesItInAnyOrder() throws Exception {
        ResolvedAddress first = ResolvedAddress.initial(HostPort.parse("web:80"))
                .next(DnsAnswer.found(List.of(ip("10.0.0.1"), ip("10.0.0.2")), 5), 80);
        assertThat(first.addressText()).isEqualTo("10.0.0.1:80");
        ResolvedAddress again = first.next(DnsAnswer.found(List.of(ip("10.0.0.2"), ip("10.0.0.1")), 5), 80);
        assertThat(again).isSameAs(first);
        ResolvedAddress moved = first.next(DnsAnswer.found(List.of(ip("10.0.0.3")), 5), 80);
        assertThat(moved.addressText()).isEqualTo("10.0.0.3:80");
        assertThat(moved.status()).isEqualTo(ResolvedAddress.Status.RESOLVED);
    }

    @Test
    void aFailureHoldsTheLastGoodAddressOrLeavesNone() throws Exception {
        ResolvedAddress good = ResolvedAddress.initial(HostPort.parse("web:80"))
                .next(DnsAnswer.found(List.of(ip("10.0.0.1")), 5), 80);
        ResolvedAddress held = good.next(DnsAnswer.failed("NXDOMAIN"), 80);
        assertThat(held.status()).isEqualTo(ResolvedAddress.Status.HELD);
        assertThat(held.address()).isSameAs(good.address());
        assertThat(held.problem()).isEqualTo("NXDOMAIN");
        ResolvedAddress back = held.next(DnsAnswer.found(List.of(ip("10.0.0.1")), 5), 80);
        assertThat(back.status()).isEqualTo(ResolvedAddress.Status.RESOLVED);
        assertThat(back.address()).as("the same instance: pooled connections stay valid").isSameAs(good.address());

        ResolvedAddress never = ResolvedAddress.initial(HostPort.parse("web:80")).next(DnsAnswer.failed("NXDOMAIN"), 80);
        assertThat(never.status()).isEqualTo(ResolvedAddress.Status.UNRESOLVED);
        assertThat(never.address()).isNull();
    }
}
