package com.foobar.balancer.lb;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LoadBalancingPoliciesTest {
    private static final Predicate<FakeEndpoint> USABLE = e -> e.usable;

    static List<String> algorithms() {
        return LoadBalancingPolicies.names();
    }

    private static ServerSelector<FakeEndpoint> selector(String algorithm, List<FakeEndpoint> servers) {
        return LoadBalancingPolicies.get(algorithm).newSelector(servers, null);
    }

    private static Map<String, Integer> count(ServerSelector<FakeEndpoint> sel, int n, RequestContext ctx) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(sel.select(ctx, USABLE).name, 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void registersTheEightAlgorithmsOfTheContract() {
        assertThat(LoadBalancingPolicies.names()).containsExactly("round-robin", "weighted-round-robin",
                "least-connections", "ip-hash", "consistent-hash", "random", "power-of-two-choices", "peak-ewma");
    }

    @Test
    void unknownAlgorithmNamesTheKnownOnes() {
        assertThatThrownBy(() -> LoadBalancingPolicies.get("fastest"))
                .isInstanceOf(UnknownAlgorithmException.class)
                .hasMessageStartingWith("\"fastest\" is not a known algorithm (known: round-robin, weighted-round-robin");
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void returnsNullWhenNoServerIsUsable(String algorithm) {
        List<FakeEndpoint> servers = List.of(new FakeEndpoint("a"), new FakeEndpoint("b"));
        servers.forEach(s -> s.usable = false);
        assertThat(selector(algorithm, servers).select(TestRequest.fromIp("10.0.0.1"), USABLE)).isNull();
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void neverPicksAServerTheUsabilityPredicateRejects(String algorithm) {
        FakeEndpoint a = new FakeEndpoint("a");
        FakeEndpoint b = new FakeEndpoint("b");
        FakeEndpoint c = new FakeEndpoint("c");
        b.usable = false;
        ServerSelector<FakeEndpoint> sel = selector(algorithm, List.of(a, b, c));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            seen.add(sel.select(TestRequest.fromIp("10.0.0." + (i % 250)), USABLE).name);
        }
        assertThat(seen).doesNotContain("b").isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void takesTheOnlyUsableServer(String algorithm) {
        FakeEndpoint a = new FakeEndpoint("a");
        FakeEndpoint b = new FakeEndpoint("b");
        a.usable = false;
        ServerSelector<FakeEndpoint> sel = selector(algorithm, List.of(a, b));
        for (int i = 0; i < 50; i++) {
            assertThat(sel.select(TestRequest.fromIp("10.1.0." + i), USABLE)).isSameAs(b);
        }
    }

    @Test
    void roundRobinAlternatesExactly() {
        ServerSelector<FakeEndpoint> sel = selector("round-robin",
                List.of(new FakeEndpoint("a"), new FakeEndpoint("b"), new FakeEndpoint("c")));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            picks.add(sel.select(RequestContext.EMPTY, USABLE).name);
        }
        assertThat(picks).containsExactly("a", "b", "c", "a", "b", "c", "a", "b", "c");
    }

    @Test
    void roundRobinStaysExactAmongUsableServersWhenOneIsDown() {
        FakeEndpoint b = new FakeEndpoint("b");
        b.usable = false;
        ServerSelector<FakeEndpoint> sel = selector("round-robin", List.of(new FakeEndpoint("a"), b, new FakeEndpoint("c")));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picks.add(sel.select(RequestContext.EMPTY, USABLE).name);
        }
        assertThat(picks).containsExactly("a", "c", "a", "c", "a", "c");
    }

    @Test
    void weightedRoundRobinIsSmoothLikeNginx() {
        ServerSelector<FakeEndpoint> sel = selector("weighted-round-robin",
                List.of(new FakeEndpoint("a", 5), new FakeEndpoint("b", 1), new FakeEndpoint("c", 1)));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            picks.add(sel.select(RequestContext.EMPTY, USABLE).name);
        }
        assertThat(picks).containsExactly("a", "a", "b", "a", "c", "a", "a");
    }

    @Test
    void weightedRoundRobinHonoursWeightRatios() {
        ServerSelector<FakeEndpoint> sel = selector("weighted-round-robin",
                List.of(new FakeEndpoint("a", 3), new FakeEndpoint("b", 1)));
        Map<String, Integer> counts = count(sel, 4000, RequestContext.EMPTY);
        assertThat(counts).containsEntry("a", 3000).containsEntry("b", 1000);
    }

    @Test
    void weightedRoundRobinFollowsEffectiveWeightDuringSlowStart() {
        FakeEndpoint a = new FakeEndpoint("a", 4);
        FakeEndpoint b = new FakeEndpoint("b", 4);
        b.effectiveWeight = 1; // ramping up
        Map<String, Integer> counts = count(selector("weighted-round-robin", List.of(a, b)), 5000, RequestContext.EMPTY);
        assertThat(counts.get("b") / 5000.0).isCloseTo(0.2, within(0.01));
    }

    @Test
    void leastConnectionsPrefersTheIdleServer() {
        FakeEndpoint busy = new FakeEndpoint("busy");
        FakeEndpoint idle = new FakeEndpoint("idle");
        busy.inFlight = 5;
        ServerSelector<FakeEndpoint> sel = selector("least-connections", List.of(busy, idle));
        for (int i = 0; i < 20; i++) {
            assertThat(sel.select(RequestContext.EMPTY, USABLE)).isSameAs(idle);
        }
    }

    @Test
    void leastConnectionsWeighsInFlightByWeight() {
        FakeEndpoint big = new FakeEndpoint("big", 4);
        FakeEndpoint small = new FakeEndpoint("small", 1);
        big.inFlight = 3; // (3+1)/4 = 1 per unit of weight
        small.inFlight = 1; // (1+1)/1 = 2
        assertThat(selector("least-connections", List.of(big, small)).select(RequestContext.EMPTY, USABLE)).isSameAs(big);
    }

    @Test
    void leastConnectionsSharesIdleServersInTurn() {
        Map<String, Integer> counts = count(selector("least-connections",
                List.of(new FakeEndpoint("a"), new FakeEndpoint("b"))), 100, RequestContext.EMPTY);
        assertThat(counts).containsEntry("a", 50).containsEntry("b", 50);
    }

    @Test
    void ipHashIsStablePerClientAndSpreadsClients() {
        List<FakeEndpoint> servers = List.of(new FakeEndpoint("a"), new FakeEndpoint("b"), new FakeEndpoint("c"));
        ServerSelector<FakeEndpoint> sel = selector("ip-hash", servers);
        Map<String, Integer> perServer = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            TestRequest client = TestRequest.fromIp("10.2." + (i / 250) + "." + (i % 250));
            FakeEndpoint first = sel.select(client, USABLE);
            for (int j = 0; j < 5; j++) {
                assertThat(sel.select(client, USABLE)).isSameAs(first);
            }
            // A fresh selector over the same servers agrees: nothing depends on history.
            assertThat(selector("ip-hash", servers).select(client, USABLE)).isSameAs(first);
            perServer.merge(first.name, 1, Integer::sum);
        }
        assertThat(perServer).hasSize(3).allSatisfy((name, n) -> assertThat(n).isBetween(60, 140));
    }

    @Test
    void ipHashMovesOnlyTheClientsOfAnUnusableServer() {
        List<FakeEndpoint> servers = List.of(new FakeEndpoint("a"), new FakeEndpoint("b"), new FakeEndpoint("c"));
        ServerSelector<FakeEndpoint> sel = selector("ip-hash", servers);
        Map<Integer, String> before = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            before.put(i, sel.select(TestRequest.fromIp("10.3.0." + i), USABLE).name);
        }
        servers.get(1).usable = false;
        for (int i = 0; i < 200; i++) {
            String now = sel.select(TestRequest.fromIp("10.3.0." + i), USABLE).name;
            if (!before.get(i).equals("b")) {
                assertThat(now).isEqualTo(before.get(i));
            } else {
                assertThat(now).isNotEqualTo("b");
            }
        }
    }

    @Test
    void consistentHashMovesAboutOneNthOfKeysWhenAServerLeaves() {
        int n = 10;
        List<FakeEndpoint> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(new FakeEndpoint("web-" + i));
        }
        List<FakeEndpoint> without = new ArrayList<>(all);
        FakeEndpoint leaving = without.remove(3);
        var before = LoadBalancingPolicies.get("consistent-hash").newSelector(all, "header:X-User");
        var after = LoadBalancingPolicies.get("consistent-hash").newSelector(without, "header:X-User");
        int keys = 20_000;
        int moved = 0;
        int ownedByLeaving = 0;
        for (int k = 0; k < keys; k++) {
            TestRequest req = TestRequest.withHeader("X-User", "user-" + k);
            FakeEndpoint was = before.select(req, USABLE);
            FakeEndpoint is = after.select(req, USABLE);
            if (was == leaving) {
                ownedByLeaving++;
            }
            if (was != is) {
                moved++;
                assertThat(was).as("only keys of the server that left move").isSameAs(leaving);
            }
        }
        assertThat(moved).isEqualTo(ownedByLeaving);
        assertThat(moved / (double) keys).isLessThan(1.0 / n + 0.03);
    }

    @Test
    void consistentHashSkipsAnUnusableServerAndKeepsOtherKeys() {
        List<FakeEndpoint> servers = List.of(new FakeEndpoint("a"), new FakeEndpoint("b"), new FakeEndpoint("c"),
                new FakeEndpoint("d"));
        var sel = LoadBalancingPolicies.get("consistent-hash").newSelector(servers, "path");
        Map<Integer, FakeEndpoint> before = new HashMap<>();
        for (int k = 0; k < 2000; k++) {
            before.put(k, sel.select(TestRequest.withPath("/item/" + k), USABLE));
        }
        servers.get(2).usable = false;
        for (int k = 0; k < 2000; k++) {
            FakeEndpoint now = sel.select(TestRequest.withPath("/item/" + k), USABLE);
            assertThat(now.name).isNotEqualTo("c");
            if (before.get(k).name.equals("c")) {
                continue;
            }
            assertThat(now).isSameAs(before.get(k));
        }
    }

    @Test
    void consistentHashByCookieAndSourceIpIsSticky() {
        List<FakeEndpoint> servers = List.of(new FakeEndpoint("a"), new FakeEndpoint("b"), new FakeEndpoint("c"));
        var byCookie = LoadBalancingPolicies.get("consistent-hash").newSelector(servers, "cookie:session");
        var byIp = LoadBalancingPolicies.get("consistent-hash").newSelector(servers, "source-ip");
        Set<String> cookieTargets = new HashSet<>();
        for (int k = 0; k < 100; k++) {
            TestRequest c = TestRequest.withCookie("session", "s" + k);
            FakeEndpoint first = byCookie.select(c, USABLE);
            assertThat(byCookie.select(c, USABLE)).isSameAs(first);
            cookieTargets.add(first.name);
            TestRequest ip = TestRequest.fromIp("192.168.7." + k);
            assertThat(byIp.select(ip, USABLE)).isSameAs(byIp.select(ip, USABLE));
        }
        assertThat(cookieTargets).hasSize(3);
    }

    @Test
    void consistentHashGivesHeavierServersMoreKeys() {
        var sel = LoadBalancingPolicies.get("consistent-hash").newSelector(
                List.of(new FakeEndpoint("a", 3), new FakeEndpoint("b", 1)), "path");
        int a = 0;
        for (int k = 0; k < 10_000; k++) {
            if (sel.select(TestRequest.withPath("/" + k), USABLE).name.equals("a")) {
                a++;
            }
        }
        assertThat(a / 10_000.0).isCloseTo(0.75, within(0.06));
    }

    @Test
    void randomFollowsWeights() {
        Map<String, Integer> counts = count(selector("random",
                List.of(new FakeEndpoint("a", 3), new FakeEndpoint("b", 1))), 20_000, RequestContext.EMPTY);
        assertThat(counts.get("a") / 20_000.0).isCloseTo(0.75, within(0.02));
    }

    @Test
    void powerOfTwoChoicesPrefersTheLessLoadedServer() {
        FakeEndpoint loaded = new FakeEndpoint("loaded");
        FakeEndpoint light = new FakeEndpoint("light");
        loaded.inFlight = 10;
        light.inFlight = 1;
        ServerSelector<FakeEndpoint> sel = selector("power-of-two-choices", List.of(loaded, light));
        for (int i = 0; i < 50; i++) {
            assertThat(sel.select(RequestContext.EMPTY, USABLE)).isSameAs(light);
        }
    }

    @Test
    void powerOfTwoChoicesAvoidsTheMostLoadedOfMany() {
        List<FakeEndpoint> servers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            FakeEndpoint e = new FakeEndpoint("s" + i);
            e.inFlight = i * 10;
            servers.add(e);
        }
        Map<String, Integer> counts = count(selector("power-of-two-choices", servers), 5000, RequestContext.EMPTY);
        // The most loaded server can only win when drawn twice, which two distinct draws never do.
        assertThat(counts).doesNotContainKey("s4");
        assertThat(counts.get("s0")).isGreaterThan(counts.get("s3"));
    }

    @Test
    void peakEwmaPrefersTheFasterServer() {
        FakeEndpoint slow = new FakeEndpoint("slow");
        FakeEndpoint fast = new FakeEndpoint("fast");
        slow.latency = 50_000_000;
        fast.latency = 2_000_000;
        ServerSelector<FakeEndpoint> sel = selector("peak-ewma", List.of(slow, fast));
        for (int i = 0; i < 50; i++) {
            assertThat(sel.select(RequestContext.EMPTY, USABLE)).isSameAs(fast);
        }
    }

    @Test
    void peakEwmaPenalisesInFlightLoad() {
        FakeEndpoint fastButBusy = new FakeEndpoint("fast-busy");
        FakeEndpoint slower = new FakeEndpoint("slower");
        fastButBusy.latency = 10_000_000;
        fastButBusy.inFlight = 9; // cost 10ms x 10
        slower.latency = 30_000_000; // cost 30ms x 1
        assertThat(selector("peak-ewma", List.of(fastButBusy, slower)).select(RequestContext.EMPTY, USABLE))
                .isSameAs(slower);
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void neverReturnsNullUnderConcurrencyWhileAServerIsUsable(String algorithm) throws Exception {
        FakeEndpoint down = new FakeEndpoint("down");
        down.usable = false;
        FakeEndpoint survivor = new FakeEndpoint("survivor");
        ServerSelector<FakeEndpoint> sel = selector(algorithm, List.of(down, survivor));
        java.util.concurrent.atomic.AtomicInteger nulls = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    if (sel.select(TestRequest.fromIp("10.9." + id + "." + (i % 250)), USABLE) == null) {
                        nulls.incrementAndGet();
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(30_000);
        }
        assertThat(nulls.get()).isZero();
    }
}
