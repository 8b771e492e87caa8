package com.foobar.balancer.discovery;

import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.config.DnsConfig;
import com.foobar.balancer.testing.TestDnsServer;
import com.foobar.balancer.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The resolver against a real DNS server on loopback, on the balancer's own kind of event loop. */
class DnsResolverTest {

    static TestDnsServer dns;
    EventLoopGroup group;
    DnsResolver resolver;

    @BeforeAll
    static void startDns() throws Exception {
        dns = TestDnsServer.start();
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (resolver != null) {
            resolver.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    private DnsResolver resolver(String transport, String timeout) throws Exception {
        Transport t = Transport.named(transport);
        group = t.newGroup(1, "dns-test");
        DnsConfig config = ConfigLoader.parse("""
                listeners: [{ name: public, bind: 127.0.0.1:0, default_pool: web }]
                pools: { web: { servers: [{ name: a, address: 127.0.0.1:1 }] } }
                dns: { nameservers: [%s], timeout: %s }
                """.formatted(dns.address(), timeout)).dns();
        EventLoop loop = group.next();
        resolver = new DnsResolver(loop, Transport.of(group), config);
        return resolver;
    }

    private DnsAnswer resolve(String host) throws Exception {
        CompletableFuture<DnsAnswer> answer = new CompletableFuture<>();
        resolver.loop().execute(() -> resolver.resolve(host, answer::complete));
        return answer.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"io_uring", "epoll", "nio"})
    void answersARecordsWithTheirShortestTtlOnEveryTransport(String transport) throws Exception {
        assumeThat(transport.equals("nio") || (transport.equals("epoll") ? Epoll.isAvailable()
                : IoUring.isAvailable())).as(transport + " is available here").isTrue();
        dns.set("two.test", 30, "127.0.0.1", "127.0.0.2");
        resolver(transport, "2s");
        DnsAnswer a = resolve("two.test");
        assertThat(a.ok()).isTrue();
        assertThat(a.addresses()).containsExactly(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}),
                InetAddress.getByAddress(new byte[] {127, 0, 0, 2}));
        assertThat(a.ttlSeconds()).isEqualTo(30);
    }

    @Test
    void anUnknownNameIsNxdomain() throws Exception {
        resolver("nio", "2s");
        assertThat(resolve("nobody.test").problem()).isEqualTo("NXDOMAIN");
    }

    @Test
    void aNameWithoutAnARecordIsAskedForAaaa() throws Exception {
        dns.set("six.test", 60, "::1");
        resolver("nio", "2s");
        DnsAnswer a = resolve("six.test");
        assertThat(a.addresses()).containsExactly(InetAddress.getByName("::1"));
        assertThat(dns.queries().stream().filter(q -> q.name().equals("six.test")).map(q -> q.type().name()))
                .containsExactly("A", "AAAA");
    }

    @Test
    void aNameWithNoAddressRecordsAtAllSaysSo() throws Exception {
        dns.set("empty.test", 60);
        resolver("nio", "2s");
        assertThat(resolve("empty.test").problem()).isEqualTo("no A or AAAA records");
    }

    @Test
    void aNameServerThatDoesNotAnswerTimesOut() throws Exception {
        dns.silence("quiet.test");
        resolver("nio", "200ms");
        assertThat(resolve("quiet.test").problem()).isEqualTo("no answer within 200ms");
    }

    @Test
    void theHostsFileIsReadBeforeTheNameServers() throws Exception {
        resolver("nio", "2s");
        int before = dns.queries().size();
        DnsAnswer a = resolve("localhost");
        assertThat(a.ok()).isTrue();
        assertThat(a.addresses().get(0).isLoopbackAddress()).isTrue();
        assertThat(dns.queries()).hasSize(before);
    }
}
