package com.foobar.balancer.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foobar.balancer.Balancer;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.testing.BalancerYaml;
import com.foobar.balancer.testing.TestBackend;
import com.foobar.balancer.testing.TestDnsServer;
import com.foobar.balancer.upstream.ReloadReport;
import com.foobar.balancer.upstream.UpstreamServer;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Server names re-resolved end to end: a real DNS server on loopback whose records the test changes, a balancer
 * asking it ({@code dns.nameservers}) for {@code web.test}, and two backends on one port of two loopback addresses,
 * {@code 127.0.0.1} and {@code 127.0.0.2}, as a container that came back with a new address.
 */
class NameReResolutionTest {
    private static final String NAME = "web.test";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    TestDnsServer dns;
    TestBackend one;
    TestBackend two;
    Balancer balancer;

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
        // The second backend takes the first one's port on 127.0.0.2; should another test hold it there, pick again.
        for (int attempt = 0; two == null; attempt++) {
            one = TestBackend.start("one");
            try {
                two = TestBackend.start("two", "127.0.0.2", one.port());
            } catch (Exception taken) {
                one.close();
                if (attempt == 5) {
                    throw taken;
                }
            }
        }
    }

    @AfterEach
    void stop() {
        if (balancer != null) {
            balancer.close();
        }
        one.close();
        two.close();
        dns.close();
    }

    private String yaml(String poolExtra, String dnsExtra, String... moreServers) {
        String[] servers = new String[moreServers.length + 1];
        servers[0] = "web=" + NAME + ":" + one.port();
        System.arraycopy(moreServers, 0, servers, 1, moreServers.length);
        return BalancerYaml.create().defaultPool("web")
                .pool("web", poolExtra, servers)
                .topLevel("dns: { nameservers: [\"" + dns.address() + "\"]" + dnsExtra + " }\n")
                .build();
    }

    private void startBalancer(String poolExtra, String dnsExtra, String... moreServers) throws Exception {
        balancer = Balancer.start(ConfigLoader.parse(yaml(poolExtra, dnsExtra, moreServers)), null);
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + balancer.listenerAddress("public").getPort() + path);
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Which backend answered a GET, or its status when none did. */
    private String backendOfGet() throws Exception {
        HttpResponse<String> r = get("/");
        return r.headers().firstValue("x-backend").orElse(Integer.toString(r.statusCode()));
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + balancer.adminAddress().getPort() + path);
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The server's entry in {@code /api/status}. */
    private JsonNode status(String server) throws Exception {
        for (JsonNode s : JSON.readTree(admin("GET", "/api/status").body()).get("pools").get(0).get("servers")) {
            if (s.get("name").asText().equals(server)) {
                return s;
            }
        }
        throw new AssertionError("no server " + server + " in /api/status");
    }

    private UpstreamServer server() {
        return balancer.upstreams().pool("web").server("web");
    }

    private String at(TestBackend b) {
        return b.address();
    }

    private double requestsMetric() {
        return balancer.metrics().registry().find("balancer.requests").tags("server", "web", "status_class", "2xx")
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private static long healthChecks(TestBackend b) {
        return b.recorded().stream().filter(r -> r.uri().equals("/health")).count();
    }

    @Test
    void changingTheRecordMovesTrafficToTheNewAddressWithoutAFailedGet() throws Exception {
        dns.set(NAME, 600, "127.0.0.1");
        startBalancer("    resolve_interval: 300ms\n", ", min_ttl: 100ms");
        try (Load load = new Load(4)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> one.requests() >= 100);
            dns.set(NAME, 600, "127.0.0.2");
            await().atMost(Duration.ofSeconds(10)).until(() -> two.requests() >= 50);
            int oneSettled = one.requests();
            int twoThen = two.requests();
            await().atMost(Duration.ofSeconds(10)).until(() -> two.requests() >= twoThen + 200);
            assertThat(one.requests()).as("no request reaches the old address once the new one is in use")
                    .isEqualTo(oneSettled);
            // Idle keep-alive connections to the old address are closed; the old server is still up and unharmed.
            await().atMost(Duration.ofSeconds(5)).until(() -> one.openConnections() == 0);
            load.stop();
            assertThat(load.failures).as("failed GETs while the name moved").isEmpty();
            assertThat(load.ok.get()).isGreaterThanOrEqualTo(350);
        }
        assertThat(server().resolved().addressText()).isEqualTo(at(two));
    }

    @Test
    void theServerKeepsItsStateCountersAndMetricsWhenItMoves() throws Exception {
        dns.set(NAME, 600, "127.0.0.1");
        startBalancer("    resolve_interval: 200ms\n"
                + "    health_check: { path: /health, interval: 100ms, timeout: 1s }\n", ", min_ttl: 100ms");
        UpstreamServer web = server();
        for (int i = 0; i < 10; i++) {
            assertThat(backendOfGet()).isEqualTo("one");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> healthChecks(one) >= 2);
        assertThat(admin("POST", "/api/pools/web/servers/web/drain").statusCode()).isEqualTo(200);

        dns.set(NAME, 600, "127.0.0.2");
        await().atMost(Duration.ofSeconds(5)).until(() -> status("web").get("resolved_address").asText()
                .equals(at(two)));
        assertThat(server()).as("the same server, not a new one").isSameAs(web);
        assertThat(status("web").get("state").asText()).as("still drained by the operator").isEqualTo("draining");
        assertThat(get("/").statusCode()).isEqualTo(503);

        // Health checks follow the address: they reach the new one and no longer the old one.
        await().atMost(Duration.ofSeconds(5)).until(() -> healthChecks(two) >= 2);
        long oneChecks = healthChecks(one);
        long twoChecks = healthChecks(two);
        await().atMost(Duration.ofSeconds(5)).until(() -> healthChecks(two) >= twoChecks + 5);
        assertThat(healthChecks(one)).isEqualTo(oneChecks);

        assertThat(admin("POST", "/api/pools/web/servers/web/enable").statusCode()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            assertThat(backendOfGet()).isEqualTo("two");
        }
        assertThat(web.requests()).as("the counters went on from where they were").isEqualTo(20);
        assertThat(requestsMetric()).isEqualTo(20.0);
        JsonNode s = status("web");
        assertThat(s.get("state").asText()).isEqualTo("up");
        assertThat(s.get("requests").asLong()).isEqualTo(20);
        assertThat(s.get("address").asText()).isEqualTo(NAME + ":" + one.port());
        assertThat(balancer.metrics().scrape())
                .contains("balancer_server_up{pool=\"web\",server=\"web\"} 1.0")
                .contains("balancer_health_checks_total{pool=\"web\",result=\"failed\",server=\"web\"} 0.0");
    }

    @Test
    void statusShowsTheConfiguredAndTheResolvedAddress() throws Exception {
        dns.set(NAME, 600, "127.0.0.2");
        startBalancer("    resolve_interval: 5s\n", "", "literal=" + at(one));
        JsonNode named = status("web");
        assertThat(named.get("address").asText()).isEqualTo(NAME + ":" + one.port());
        assertThat(named.get("resolved_address").asText()).isEqualTo(at(two));
        assertThat(named.get("resolution").asText()).isEqualTo("resolved");
        assertThat(named.get("resolution_error").isNull()).isTrue();
        JsonNode literal = status("literal");
        assertThat(literal.get("address").asText()).isEqualTo(at(one));
        assertThat(literal.get("resolved_address").asText()).isEqualTo(at(one));
        assertThat(literal.get("resolution").asText()).isEqualTo("static");
        assertThat(balancer.startupTable()).contains(NAME + ":" + one.port() + " (127.0.0.2)");
    }

    @Test
    void aConnectFailureAsksDnsAgainLongBeforeTheInterval() throws Exception {
        dns.set(NAME, 600, "127.0.0.1");
        startBalancer("    resolve_interval: 1h\n    retries: 0\n", ", min_ttl: 200ms");
        assertThat(backendOfGet()).isEqualTo("one");
        int before = dns.queryCount(NAME);

        dns.set(NAME, 600, "127.0.0.2");
        one.kill(); // the container is gone; it comes back elsewhere
        await().atMost(Duration.ofSeconds(5)).until(() -> backendOfGet().equals("two"));
        assertThat(dns.queryCount(NAME)).as("asked again because connects failed, not because an hour passed")
                .isBetween(before + 1, before + 3);
    }

    @Test
    void connectFailuresAskDnsNoMoreOftenThanTheFloor() throws Exception {
        dns.set(NAME, 600, "127.0.0.3"); // nothing listens there: every connect is refused
        startBalancer("    resolve_interval: 1h\n    retries: 0\n"
                + "    outlier_detection: { consecutive_failures: 0 }\n", ", min_ttl: 300ms");
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        int failed = 0;
        while (System.nanoTime() - end < 0) {
            assertThat(get("/").statusCode()).isEqualTo(503); // connect refused
            failed++;
        }
        List<TestDnsServer.Query> queries = dns.queries(NAME);
        assertThat(failed).isGreaterThan(20);
        assertThat(queries.size()).as("one at start, then early ones at most every 300ms over 2s").isBetween(3, 9);
        for (int i = 1; i < queries.size(); i++) {
            assertThat(queries.get(i).nanos() - queries.get(i - 1).nanos()).isGreaterThanOrEqualTo(
                    Duration.ofMillis(300).toNanos());
        }
    }

    @Test
    void aNameThatStopsResolvingKeepsItsLastAddressAndSaysSoOncePerCondition() throws Exception {
        ByteArrayOutputStream events = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(new TeeStream(stderr, events), true, StandardCharsets.UTF_8));
        try {
            dns.set(NAME, 1, "127.0.0.1");
            startBalancer("    resolve_interval: 200ms\n", ", min_ttl: 100ms, timeout: 300ms");
            assertThat(backendOfGet()).isEqualTo("one");

            int before = dns.queryCount(NAME);
            dns.remove(NAME); // Docker answers NXDOMAIN while the container is stopped
            await().atMost(Duration.ofSeconds(5)).until(() -> dns.queryCount(NAME) >= before + 4);
            JsonNode s = status("web");
            assertThat(s.get("resolution").asText()).isEqualTo("held");
            assertThat(s.get("resolution_error").asText()).isEqualTo("NXDOMAIN");
            assertThat(s.get("resolved_address").asText()).isEqualTo(at(one));
            assertThat(s.get("state").asText()).isEqualTo("up");
            for (int i = 0; i < 5; i++) {
                assertThat(backendOfGet()).isEqualTo("one");
            }

            int silentFrom = dns.queryCount(NAME);
            dns.silence(NAME); // and then the name server stops answering
            await().atMost(Duration.ofSeconds(5)).until(() -> dns.queryCount(NAME) >= silentFrom + 3);
            await().atMost(Duration.ofSeconds(5)).until(() -> status("web").get("resolution_error").asText()
                    .equals("no answer within 300ms"));
            assertThat(backendOfGet()).isEqualTo("one");

            dns.set(NAME, 1, "127.0.0.2");
            await().atMost(Duration.ofSeconds(5)).until(() -> backendOfGet().equals("two"));
            assertThat(status("web").get("resolution").asText()).isEqualTo("resolved");
        } finally {
            System.setErr(stderr);
        }
        List<String> lines = events.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("server web/web ")).toList();
        assertThat(lines.stream().filter(l -> l.contains("does not resolve (NXDOMAIN)"))).hasSize(1);
        assertThat(lines.stream().filter(l -> l.contains("does not resolve (no answer within 300ms)"))).hasSize(1);
        assertThat(lines.stream().filter(l -> l.contains("address changed: " + NAME + ":" + one.port() + " "
                + at(one) + " -> " + at(two)))).hasSize(1);
    }

    @Test
    void aNameThatDoesNotResolveAtStartLeavesTheServerDownUntilItDoes() throws Exception {
        startBalancer("    resolve_interval: 300ms\n", ", min_ttl: 100ms"); // no record yet: NXDOMAIN
        JsonNode s = status("web");
        assertThat(s.get("state").asText()).isEqualTo("down");
        assertThat(s.get("resolved_address").isNull()).isTrue();
        assertThat(s.get("resolution").asText()).isEqualTo("unresolved");
        assertThat(s.get("resolution_error").asText()).isEqualTo("NXDOMAIN");
        assertThat(balancer.startupTable()).contains(NAME + ":" + one.port() + " (unresolved: NXDOMAIN)");
        assertThat(get("/").statusCode()).isEqualTo(503);

        dns.set(NAME, 600, "127.0.0.1");
        await().atMost(Duration.ofSeconds(5)).until(() -> backendOfGet().equals("one"));
        assertThat(status("web").get("resolution").asText()).isEqualTo("resolved");
        assertThat(status("web").get("state").asText()).isEqualTo("up");
    }

    @Test
    void aTtlShorterThanTheIntervalBringsTheNextQueryForward() throws Exception {
        dns.set(NAME, 1, "127.0.0.1");
        startBalancer("    resolve_interval: 1h\n", ", min_ttl: 100ms");
        assertGaps(4, Duration.ofSeconds(1), Duration.ofMillis(2500));
    }

    @Test
    void aTtlShorterThanTheFloorWaitsForTheFloor() throws Exception {
        dns.set(NAME, 0, "127.0.0.1");
        startBalancer("    resolve_interval: 1h\n", ", min_ttl: 400ms");
        assertGaps(4, Duration.ofMillis(400), Duration.ofMillis(1500));
    }

    @Test
    void aTtlLongerThanTheIntervalIsCappedByIt() throws Exception {
        dns.set(NAME, 600, "127.0.0.1"); // Docker's embedded DNS answers with TTL 600
        startBalancer("    resolve_interval: 300ms\n", ", min_ttl: 100ms");
        assertGaps(5, Duration.ofMillis(300), Duration.ofMillis(1500));
    }

    /** Waits for {@code count} queries about the name and checks every gap between two lies in [min, max]. */
    private void assertGaps(int count, Duration min, Duration max) {
        await().atMost(Duration.ofSeconds(15)).until(() -> dns.queryCount(NAME) >= count);
        List<TestDnsServer.Query> q = dns.queries(NAME);
        for (int i = 1; i < q.size(); i++) {
            long gap = q.get(i).nanos() - q.get(i - 1).nanos();
            assertThat(gap).as("gap %d", i).isBetween(min.toNanos(), max.toNanos());
        }
    }

    @Test
    void aZeroIntervalResolvesOnce() throws Exception {
        dns.set(NAME, 1, "127.0.0.1");
        startBalancer("    resolve_interval: 0s\n", ", min_ttl: 100ms");
        dns.set(NAME, 1, "127.0.0.2");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> dns.queryCount(NAME) == 1);
        assertThat(backendOfGet()).isEqualTo("one");
    }

    @Test
    void aReloadKeepsTheResolutionOfServersThatStayAndAppliesANewInterval() throws Exception {
        dns.set(NAME, 600, "127.0.0.1");
        startBalancer("    resolve_interval: 1h\n", ", min_ttl: 100ms");
        UpstreamServer web = server();
        dns.set(NAME, 600, "127.0.0.2"); // the balancer will not ask for an hour
        int queries = dns.queryCount(NAME);

        ReloadReport r = balancer.apply(ConfigLoader.parse(yaml("    resolve_interval: 1h\n    retries: 1\n",
                ", min_ttl: 100ms")));
        assertThat(r.applied()).contains("pools.web.retries: 2 -> 1");
        assertThat(server()).isSameAs(web);
        assertThat(web.resolved().addressText()).isEqualTo(at(one));
        assertThat(dns.queryCount(NAME)).as("a server that stays is not resolved again").isEqualTo(queries);
        assertThat(backendOfGet()).isEqualTo("one");

        r = balancer.apply(ConfigLoader.parse(yaml("    resolve_interval: 200ms\n    retries: 1\n",
                ", min_ttl: 100ms")));
        assertThat(r.applied()).contains("pools.web.resolve_interval: 1h -> 200ms");
        await().atMost(Duration.ofSeconds(5)).until(() -> backendOfGet().equals("two"));
        assertThat(server()).isSameAs(web);
    }

    @Test
    void aDiscoverNameMakesAServerOfEachRecordAndFollowsThemUnderLoadWithoutAFailedGet() throws Exception {
        try (TestBackend three = TestBackend.start("three", "127.0.0.3", one.port())) {
            dns.set(NAME, 600, "127.0.0.2", "127.0.0.1");
            balancer = Balancer.start(ConfigLoader.parse(discoverYaml("")), null);
            assertThat(discovered()).as("found before the start returned, in address order")
                    .containsExactly("web@127.0.0.1", "web@127.0.0.2");
            JsonNode pool = JSON.readTree(admin("GET", "/api/status").body()).get("pools").get(0);
            assertThat(pool.get("discover").asText()).isEqualTo(NAME + ":" + one.port());
            assertThat(status("web@127.0.0.2").get("address").asText()).isEqualTo(at(two));
            assertThat(balancer.startupTable()).containsPattern("\\(discover\\) +"
                    + java.util.regex.Pattern.quote(NAME + ":" + one.port()));
            try (Load load = new Load(4)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> one.requests() >= 50 && two.requests() >= 50);
                dns.set(NAME, 600, "127.0.0.1", "127.0.0.2", "127.0.0.3");
                await().atMost(Duration.ofSeconds(10)).until(() -> three.requests() >= 50);

                dns.set(NAME, 600, "127.0.0.3", "127.0.0.2");
                await().atMost(Duration.ofSeconds(10)).until(() -> !discovered().contains("web@127.0.0.1"));
                int oneSettled = one.requests();
                int twoThen = two.requests();
                await().atMost(Duration.ofSeconds(10)).until(() -> two.requests() >= twoThen + 100);
                assertThat(one.requests()).as("a server gone from DNS gets no new request").isEqualTo(oneSettled);

                dns.remove(NAME); // NXDOMAIN: the servers found last stay (hold)
                int queries = dns.queryCount(NAME);
                await().atMost(Duration.ofSeconds(5)).until(() -> dns.queryCount(NAME) >= queries + 3);
                assertThat(discovered()).containsExactly("web@127.0.0.2", "web@127.0.0.3");
                load.stop();
                assertThat(load.failures).as("failed GETs while servers came and went").isEmpty();
                assertThat(load.ok.get()).isGreaterThanOrEqualTo(300);
            }
            // A reload keeps what discovery found, and the servers' state with it.
            UpstreamServer kept = balancer.upstreams().pool("web").server("web@127.0.0.3");
            ReloadReport r = balancer.apply(ConfigLoader.parse(discoverYaml("    retries: 1\n")));
            assertThat(r.applied()).containsExactly("pools.web.retries: 2 -> 1");
            assertThat(balancer.upstreams().pool("web").server("web@127.0.0.3")).isSameAs(kept);
            assertThat(discovered()).containsExactly("web@127.0.0.2", "web@127.0.0.3");
        }
    }

    /** A pool with no servers of its own, all of them from {@code NAME}'s records, and {@code extra} pool keys. */
    private String discoverYaml(String extra) {
        return BalancerYaml.create().defaultPool("web")
                .pool("web", "    discover: \"" + NAME + ":" + one.port() + "\"\n    resolve_interval: 300ms\n"
                        + "    health_check: { path: /health, interval: 200ms, timeout: 1s }\n" + extra, new String[0])
                .topLevel("dns: { nameservers: [\"" + dns.address() + "\"], min_ttl: 100ms }\n").build();
    }

    /** The names of the pool's servers, as {@code /api/status} lists them. */
    private List<String> discovered() throws Exception {
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode s : JSON.readTree(admin("GET", "/api/status").body()).get("pools").get(0).get("servers")) {
            names.add(s.get("name").asText());
        }
        return names;
    }

    /** Steady GETs from a few threads, each on its own keep-alive connection, counting what failed. */
    private final class Load implements AutoCloseable {
        final AtomicInteger ok = new AtomicInteger();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService threads;

        Load(int n) {
            threads = Executors.newFixedThreadPool(n);
            for (int i = 0; i < n; i++) {
                threads.execute(() -> {
                    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(5)).build();
                    URI uri = URI.create("http://127.0.0.1:" + balancer.listenerAddress("public").getPort() + "/");
                    while (running.get()) {
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                ok.incrementAndGet();
                            } else {
                                failures.add(r.statusCode() + " " + r.body().trim());
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                });
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(15, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws InterruptedException {
            if (running.get()) {
                stop();
            }
        }
    }

    /** Writes to the real stderr and keeps a copy, so the test can read the server events. */
    private static final class TeeStream extends java.io.OutputStream {
        private final PrintStream out;
        private final ByteArrayOutputStream copy;

        TeeStream(PrintStream out, ByteArrayOutputStream copy) {
            this.out = out;
            this.copy = copy;
        }

        @Override
        public synchronized void write(int b) {
            out.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            out.write(b, off, len);
            copy.write(b, off, len);
        }
    }
}
