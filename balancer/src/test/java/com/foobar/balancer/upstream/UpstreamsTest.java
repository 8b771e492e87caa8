package com.foobar.balancer.upstream;

import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.lb.RequestContext;
import com.foobar.balancer.metrics.BalancerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Server state rules with a hand-moved clock; the health checker's part is in UpstreamsHealthCheckTest. */
class UpstreamsTest {
    private final ManualClock clock = new ManualClock();
    private final BalancerMetrics metrics = new BalancerMetrics();
    private Upstreams upstreams;

    @AfterEach
    void close() {
        if (upstreams != null) {
            upstreams.close();
        }
    }

    private static String config(String poolExtras, String... servers) {
        StringBuilder sb = new StringBuilder("""
                listeners: [{ name: public, bind: 127.0.0.1:0, default_pool: web }]
                admin: { bind: 127.0.0.1:0 }
                pools:
                  web:
                """);
        sb.append(poolExtras.indent(4));
        sb.append("    servers:\n");
        for (String s : servers) {
            sb.append("      - ").append(s).append('\n');
        }
        return sb.toString();
    }

    private UpstreamPool start(String yaml) throws Exception {
        upstreams = Upstreams.start(ConfigLoader.parse(yaml), metrics, null, clock);
        return upstreams.pool("web");
    }

    private static Map<String, Integer> picks(UpstreamPool pool, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            UpstreamServer s = pool.select(RequestContext.EMPTY, Set.of());
            counts.merge(s == null ? "none" : s.name(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void roundRobinOverThePoolAlternates() throws Exception {
        UpstreamPool pool = start(config("algorithm: round-robin",
                "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }"));
        assertThat(pool.select(RequestContext.EMPTY, Set.of()).name()).isEqualTo("a");
        assertThat(pool.select(RequestContext.EMPTY, Set.of()).name()).isEqualTo("b");
        assertThat(pool.select(RequestContext.EMPTY, Set.of()).name()).isEqualTo("a");
    }

    @Test
    void backupTakesOverWhenNoPrimaryIsUsableAndGivesBack() throws Exception {
        UpstreamPool pool = start(config("",
                "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }",
                "{ name: sorry, address: 127.0.0.1:1009, backup: true }"));
        assertThat(picks(pool, 20)).containsOnlyKeys("a", "b");

        pool.server("a").healthChanged(false, "test");
        assertThat(picks(pool, 20)).containsOnlyKeys("b");
        pool.server("b").healthChanged(false, "test");
        assertThat(picks(pool, 20)).containsOnlyKeys("sorry");

        pool.server("b").healthChanged(true, "test");
        assertThat(picks(pool, 20)).containsOnlyKeys("b");
    }

    @Test
    void backupServesARetryWhenEveryPrimaryWasTried() throws Exception {
        UpstreamPool pool = start(config("",
                "{ name: a, address: 127.0.0.1:1001 }", "{ name: sorry, address: 127.0.0.1:1009, backup: true }"));
        assertThat(pool.select(RequestContext.EMPTY, Set.of(pool.server("a"))).name()).isEqualTo("sorry");
        assertThat(pool.select(RequestContext.EMPTY, Set.of(pool.server("a"), pool.server("sorry")))).isNull();
    }

    @Test
    void selectSkipsServersAlreadyTried() throws Exception {
        UpstreamPool pool = start(config("algorithm: least-connections",
                "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }",
                "{ name: c, address: 127.0.0.1:1003 }"));
        Set<UpstreamServer> tried = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            UpstreamServer s = pool.select(RequestContext.EMPTY, tried);
            assertThat(tried.add(s)).isTrue();
        }
        assertThat(pool.select(RequestContext.EMPTY, tried)).isNull();
    }

    @Test
    void slowStartRampsTheWeightOfAReturningServerLinearly() throws Exception {
        UpstreamPool pool = start(config("algorithm: weighted-round-robin\nslow_start: 10s",
                "{ name: a, address: 127.0.0.1:1001, weight: 4 }", "{ name: b, address: 127.0.0.1:1002, weight: 4 }"));
        UpstreamServer b = pool.server("b");
        assertThat(b.effectiveWeight()).as("full weight at startup").isEqualTo(4.0);

        b.healthChanged(false, "test");
        clock.advance(Duration.ofMinutes(1));
        b.healthChanged(true, "test");
        assertThat(b.effectiveWeight()).isEqualTo(4 * UpstreamServer.MIN_SLOW_START_FRACTION);
        clock.advance(Duration.ofMillis(2500));
        assertThat(b.effectiveWeight()).isCloseTo(1.0, within(1e-9));
        Map<String, Integer> quarter = picks(pool, 5000);
        assertThat(quarter.get("b") / 5000.0).isCloseTo(1.0 / 5, within(0.01));
        clock.advance(Duration.ofMillis(2500));
        assertThat(b.effectiveWeight()).isCloseTo(2.0, within(1e-9));
        clock.advance(Duration.ofSeconds(5));
        assertThat(b.effectiveWeight()).isEqualTo(4.0);
        assertThat(picks(pool, 5000).get("b")).isEqualTo(2500);
    }

    @Test
    void slowStartAlsoRampsAServerBackFromEjectionAndFromDrain() throws Exception {
        UpstreamPool pool = start(config("""
                slow_start: 10s
                outlier_detection: { consecutive_failures: 1, base_ejection_time: 5s }""",
                "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }"));
        UpstreamServer a = pool.server("a");
        a.requestStarted();
        a.requestFailed(FailureKind.CONNECT_REFUSED, 1_000);
        assertThat(a.state()).isEqualTo(ServerState.EJECTED);
        clock.advance(Duration.ofSeconds(10)); // 5s ejected, then 5s of its 10s ramp
        assertThat(a.state()).isEqualTo(ServerState.UP);
        assertThat(a.effectiveWeight()).isCloseTo(0.5, within(1e-9));

        UpstreamServer b = pool.server("b");
        b.drain();
        clock.advance(Duration.ofSeconds(30));
        b.enable();
        clock.advance(Duration.ofSeconds(3));
        assertThat(b.effectiveWeight()).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void ejectsAfterConsecutiveFailuresAndReturnsAfterTheEjectionTime() throws Exception {
        UpstreamPool pool = start(config("outlier_detection: { consecutive_failures: 3, consecutive_5xx: 3, "
                        + "base_ejection_time: 10s }",
                "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }"));
        UpstreamServer a = pool.server("a");
        fail(a, 2);
        succeed(a, 200);
        fail(a, 2);
        assertThat(a.state()).as("a success resets the streak").isEqualTo(ServerState.UP);
        succeed(a, 404);
        assertThat(a.state()).as("4xx is the client's fault, not the server's").isEqualTo(ServerState.UP);

        for (int i = 0; i < 3; i++) {
            succeed(a, 500);
        }
        assertThat(a.state()).isEqualTo(ServerState.EJECTED);
        assertThat(picks(pool, 10)).containsOnlyKeys("b");
        assertThat(metrics.scrape()).contains("balancer_ejections_total{pool=\"web\",server=\"a\"} 1.0");

        clock.advance(Duration.ofSeconds(9));
        assertThat(a.state()).isEqualTo(ServerState.EJECTED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(a.state()).isEqualTo(ServerState.UP);
        assertThat(picks(pool, 10)).containsOnlyKeys("a", "b");

        fail(a, 3);
        assertThat(a.state()).isEqualTo(ServerState.EJECTED);
        assertThat(a.ejections()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(19));
        assertThat(a.state()).as("the second ejection lasts twice the base time").isEqualTo(ServerState.EJECTED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(a.state()).isEqualTo(ServerState.UP);
    }

    @Test
    void neverEjectsMoreThanMaxEjectionPercentOfThePool() throws Exception {
        UpstreamPool pool = start(config("outlier_detection: { consecutive_failures: 1, max_ejection_percent: 50 }",
                "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }",
                "{ name: c, address: 127.0.0.1:1003 }", "{ name: d, address: 127.0.0.1:1004 }"));
        for (UpstreamServer s : pool.servers()) {
            fail(s, 1);
        }
        assertThat(pool.servers().stream().filter(s -> s.state() == ServerState.EJECTED)).hasSize(2);
        assertThat(picks(pool, 10)).containsOnlyKeys("c", "d");
    }

    @Test
    void alwaysAllowsOneEjectionEvenBelowOnePercentOfAServer() throws Exception {
        UpstreamPool pool = start(config("outlier_detection: { consecutive_failures: 1, max_ejection_percent: 10 }",
                "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }"));
        fail(pool.server("a"), 1);
        fail(pool.server("b"), 1);
        assertThat(pool.server("a").state()).isEqualTo(ServerState.EJECTED);
        assertThat(pool.server("b").state()).isEqualTo(ServerState.UP);
    }

    @Test
    void outlierDetectionOffNeverEjects() throws Exception {
        UpstreamPool pool = start(config("outlier_detection: { consecutive_failures: 0 }",
                "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }"));
        fail(pool.server("a"), 50);
        assertThat(pool.server("a").state()).isEqualTo(ServerState.UP);
        assertThat(pool.server("a").failures()).isEqualTo(50);
    }

    @Test
    void drainTakesNoNewRequestsWhileInFlightOnesFinish() throws Exception {
        UpstreamPool pool = start(config("", "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }"));
        UpstreamServer a = pool.server("a");
        a.requestStarted();
        a.requestStarted();
        a.drain();
        assertThat(a.state()).isEqualTo(ServerState.DRAINING);
        assertThat(picks(pool, 10)).containsOnlyKeys("b");
        assertThat(a.inFlight()).isEqualTo(2);
        a.requestFinished(200, false, 1_000);
        a.requestFinished(200, false, 1_000);
        assertThat(a.inFlight()).isZero();
        assertThat(a.requests()).isEqualTo(2);

        a.enable();
        assertThat(a.state()).isEqualTo(ServerState.UP);
        assertThat(picks(pool, 10)).containsOnlyKeys("a", "b");
    }

    @Test
    void drainWinsOverDownAndDownOverEjected() throws Exception {
        UpstreamPool pool = start(config("outlier_detection: { consecutive_failures: 1 }",
                "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }"));
        UpstreamServer a = pool.server("a");
        fail(a, 1);
        assertThat(a.state()).isEqualTo(ServerState.EJECTED);
        a.healthChanged(false, "test");
        assertThat(a.state()).isEqualTo(ServerState.DOWN);
        a.drain();
        assertThat(a.state()).isEqualTo(ServerState.DRAINING);
    }

    @Test
    void peakEwmaReactsToASlowdownAtOnceAndForgetsSlowly() throws Exception {
        UpstreamPool pool = start(config("algorithm: peak-ewma", "{ name: a, address: 127.0.0.1:1001 }"));
        UpstreamServer a = pool.server("a");
        succeedIn(a, 10_000_000);
        assertThat(a.latencyEwmaNanos()).isEqualTo(10_000_000.0);
        succeedIn(a, 100_000_000);
        assertThat(a.latencyEwmaNanos()).as("peak: a slower answer counts at once").isEqualTo(100_000_000.0);
        clock.advance(UpstreamServer.EWMA_DECAY);
        assertThat(a.latencyEwmaNanos()).isCloseTo(100_000_000 / Math.E, within(1.0));
    }

    @Test
    void reloadKeepsTheStateOfServersThatStayAndDrainsThoseThatLeave() throws Exception {
        UpstreamPool pool = start(config("", "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }",
                "{ name: c, address: 127.0.0.1:1003 }"));
        UpstreamServer a = pool.server("a");
        UpstreamServer b = pool.server("b");
        UpstreamServer c = pool.server("c");
        a.drain();
        a.requestStarted();
        b.requestStarted();

        BalancerConfig next = ConfigLoader.parse(config("algorithm: least-connections\nretries: 1",
                "{ name: a, address: 127.0.0.1:1001, weight: 3 }", "{ name: c, address: 127.0.0.1:2003 }",
                "{ name: d, address: 127.0.0.1:1004 }").replace("admin: { bind: 127.0.0.1:0 }", "admin: { bind: 127.0.0.1:9999 }"));
        ReloadReport report = upstreams.apply(next);

        assertThat(report.applied()).containsExactly(
                "pools.web.algorithm: round-robin -> least-connections",
                "pools.web.retries: 2 -> 1",
                "pools.web.servers.a: weight 1 -> 3",
                "pools.web.servers.c: address 127.0.0.1:1003 -> 127.0.0.1:2003",
                "pools.web.servers.d: added at 127.0.0.1:1004",
                "pools.web.servers.b: removed; it drains");
        assertThat(report.restartRequired()).containsExactly("admin.bind: 127.0.0.1:0 -> 127.0.0.1:9999 needs a restart");
        assertThat(upstreams.pool("web")).isSameAs(pool);
        assertThat(pool.config().algorithm()).isEqualTo("least-connections");
        assertThat(pool.server("a")).isSameAs(a);
        assertThat(a.weight()).isEqualTo(3);
        assertThat(a.state()).as("kept: still draining").isEqualTo(ServerState.DRAINING);
        assertThat(a.inFlight()).isEqualTo(1);
        assertThat(pool.server("b")).isNull();
        assertThat(b.state()).isEqualTo(ServerState.DRAINING);
        assertThat(b.removed()).isTrue();
        b.requestFinished(200, false, 1_000); // its in-flight request still finishes
        assertThat(b.inFlight()).isZero();
        assertThat(pool.server("c")).isNotSameAs(c);
        assertThat(c.removed()).isTrue();
        assertThat(pool.servers()).extracting(UpstreamServer::name).containsExactly("a", "c", "d");
        assertThat(picks(pool, 20)).containsOnlyKeys("c", "d");
        assertThat(metrics.scrape())
                .doesNotContain("balancer_requests_in_flight{pool=\"web\",server=\"b\"}")
                .contains("balancer_requests_in_flight{pool=\"web\",server=\"c\"} 0.0")
                .contains("balancer_requests_in_flight{pool=\"web\",server=\"d\"} 0.0");
    }

    @Test
    void reloadAddsAndRemovesPools() throws Exception {
        start(config("", "{ name: a, address: 127.0.0.1:1001 }"));
        String yaml = """
                listeners: [{ name: public, bind: 127.0.0.1:0, default_pool: api }]
                admin: { bind: 127.0.0.1:0 }
                pools:
                  api:
                    servers: [{ name: x, address: 127.0.0.1:3001 }]
                """;
        UpstreamServer a = upstreams.pool("web").server("a");
        ReloadReport report = upstreams.apply(ConfigLoader.parse(yaml));
        assertThat(report.applied()).containsExactly("pools.api: added with 1 server(s)",
                "pools.web: removed; its servers drain");
        assertThat(upstreams.pool("web")).isNull();
        assertThat(upstreams.pools()).extracting(UpstreamPool::name).containsExactly("api");
        assertThat(a.state()).isEqualTo(ServerState.DRAINING);
        assertThat(upstreams.apply(ConfigLoader.parse(yaml)).toString()).isEqualTo("no changes");
    }

    @Test
    void aServerAddedByReloadRampsUpWithSlowStart() throws Exception {
        start(config("slow_start: 10s", "{ name: a, address: 127.0.0.1:1001 }"));
        upstreams.apply(ConfigLoader.parse(config("slow_start: 10s", "{ name: a, address: 127.0.0.1:1001 }",
                "{ name: b, address: 127.0.0.1:1002 }")));
        UpstreamPool pool = upstreams.pool("web");
        assertThat(pool.server("a").effectiveWeight()).isEqualTo(1.0);
        clock.advance(Duration.ofSeconds(5));
        assertThat(pool.server("b").effectiveWeight()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void rejectedReportsMergeKeepingTheFirstError() {
        ReloadReport merged = ReloadReport.rejected("pools.web.retries: 50 is out of range 0-10")
                .merge(new ReloadReport(List.of("x"), List.of("listeners[0].bind: needs a restart")));
        assertThat(merged.rejected()).isTrue();
        assertThat(merged.error()).isEqualTo("pools.web.retries: 50 is out of range 0-10");
        assertThat(merged.toString()).isEqualTo("""
                rejected: pools.web.retries: 50 is out of range 0-10
                applied: x
                needs restart: listeners[0].bind: needs a restart""");
        assertThat(new ReloadReport(List.of(), List.of()).rejected()).isFalse();
    }

    @Test
    void requestsDuringAReloadThatReplacesEveryServerAlwaysFindOne() throws Exception {
        String first = config("", "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }");
        String second = config("", "{ name: c, address: 127.0.0.1:1003 }", "{ name: d, address: 127.0.0.1:1004 }");
        BalancerConfig one = ConfigLoader.parse(first);
        BalancerConfig two = ConfigLoader.parse(second);
        UpstreamPool pool = start(first);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger misses = new java.util.concurrent.atomic.AtomicInteger();
        Thread picker = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!done.get() && System.nanoTime() < deadline) {
                if (pool.select(RequestContext.EMPTY, Set.of()) == null) {
                    misses.incrementAndGet();
                }
            }
        });
        picker.start();
        for (int i = 0; i < 50; i++) {
            upstreams.apply(i % 2 == 0 ? two : one);
        }
        done.set(true);
        picker.join(30_000);
        assertThat(misses.get()).isZero();
    }

    @Test
    void failuresAndFiveHundredsAreSeparateStreaks() throws Exception {
        UpstreamPool pool = start(config("outlier_detection: { consecutive_failures: 3, consecutive_5xx: 3 }",
                "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }"));
        UpstreamServer a = pool.server("a");
        fail(a, 2);
        succeed(a, 500);
        fail(a, 2);
        assertThat(a.state()).as("an answer, even a 500, ends the streak of attempts without one")
                .isEqualTo(ServerState.UP);
        succeed(a, 500);
        succeed(a, 500);
        assertThat(a.state()).as("failures between 500s do not end the 5xx streak: the third 500 ejects")
                .isEqualTo(ServerState.EJECTED);
    }

    @Test
    void aFiveHundredWithoutRetryAfterAnswersCountsButA503WithRetryAfterNeverEjects() throws Exception {
        UpstreamPool pool = start(config("outlier_detection: { consecutive_failures: 3, consecutive_5xx: 3 }",
                "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }"));
        UpstreamServer a = pool.server("a");
        for (int i = 0; i < 20; i++) {
            declareUnavailable(a);
        }
        assertThat(a.state()).as("twenty 503s with Retry-After: a working server whose database is down")
                .isEqualTo(ServerState.UP);
        assertThat(a.failures()).as("still counted as failed requests").isEqualTo(20);
        // Neither do they end a streak: a server whose 500s are interleaved with them is still ejected.
        succeed(a, 500);
        declareUnavailable(a);
        succeed(a, 500);
        declareUnavailable(a);
        succeed(a, 503);
        assertThat(a.state()).as("a 503 without Retry-After is a 5xx like any other").isEqualTo(ServerState.EJECTED);
    }

    @Test
    void consecutive5xxZeroLeavesAnswersOutButStillEjectsOnFailures() throws Exception {
        UpstreamPool pool = start(config("outlier_detection: { consecutive_failures: 2, consecutive_5xx: 0 }",
                "{ name: a, address: 127.0.0.1:1001 }", "{ name: b, address: 127.0.0.1:1002 }"));
        UpstreamServer a = pool.server("a");
        for (int i = 0; i < 10; i++) {
            succeed(a, 500);
        }
        assertThat(a.state()).isEqualTo(ServerState.UP);
        fail(a, 2);
        assertThat(a.state()).isEqualTo(ServerState.EJECTED);
    }

    private static void fail(UpstreamServer s, int times) {
        for (int i = 0; i < times; i++) {
            s.requestStarted();
            s.requestFailed(FailureKind.CONNECT_REFUSED, 1_000);
        }
    }

    private static void succeed(UpstreamServer s, int status) {
        s.requestStarted();
        s.requestFinished(status, false, 1_000_000);
    }

    /** A 503 with Retry-After: the server works and says something behind it cannot serve now. */
    private static void declareUnavailable(UpstreamServer s) {
        s.requestStarted();
        s.requestFinished(503, true, 1_000_000);
    }

    private static void succeedIn(UpstreamServer s, long nanos) {
        s.requestStarted();
        s.requestFinished(200, false, nanos);
    }
}
