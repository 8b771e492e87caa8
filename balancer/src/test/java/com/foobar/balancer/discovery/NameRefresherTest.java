package com.foobar.balancer.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.config.DnsConfig;
import com.foobar.balancer.config.HostPort;
import com.foobar.balancer.testing.TestDnsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The refresher's own loop, stopped while queries are under way. The class-wide leak check (NettyLeakCheck) fails
 * this class should a query's buffer be left behind: on io_uring, stopping the loop like this leaked one read buffer
 * per query in flight.
 */
class NameRefresherTest {
    static TestDnsServer dns;

    @BeforeAll
    static void startDns() throws Exception {
        dns = TestDnsServer.start();
        dns.set("answered.test", 30, "127.0.0.1");
        dns.silence("silent.test");
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    @RepeatedTest(5)
    void closingWhileQueriesAreUnderWayStopsItsLoopAndLeavesNoBufferBehind() throws Exception {
        DnsConfig config = ConfigLoader.parse("""
                listeners: [{ name: public, bind: 127.0.0.1:0, default_pool: web }]
                pools: { web: { servers: [{ name: a, address: 127.0.0.1:1 }] } }
                dns: { nameservers: [%s], timeout: 5s }
                """.formatted(dns.address())).dns();
        NameRefresher refresher = NameRefresher.start(config);
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Target t = new Target(HostPort.parse((i % 2 == 0 ? "silent.test" : "answered.test") + ":" + (8000 + i)));
            targets.add(t);
            refresher.watch(t, Duration.ofSeconds(30));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> targets.stream().filter(t -> t.address().port() % 2 == 1)
                .allMatch(t -> t.resolved().status() == ResolvedAddress.Status.RESOLVED));
        int silentAsked = dns.queryCount("silent.test");
        assertThat(silentAsked).as("queries left unanswered when the refresher closes").isPositive();

        refresher.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> refresher.loop().isTerminated());
        assertThat(targets).filteredOn(t -> t.address().port() % 2 == 0)
                .allSatisfy(t -> assertThat(t.resolved().status()).isEqualTo(ResolvedAddress.Status.PENDING));
    }

    private static final class Target implements ResolveTarget {
        private final HostPort address;
        private final AtomicReference<ResolvedAddress> resolved;

        Target(HostPort address) {
            this.address = address;
            this.resolved = new AtomicReference<>(ResolvedAddress.initial(address));
        }

        @Override
        public HostPort address() {
            return address;
        }

        @Override
        public ResolvedAddress resolved() {
            return resolved.get();
        }

        @Override
        public void resolved(ResolvedAddress next) {
            resolved.set(next);
        }
    }
}
