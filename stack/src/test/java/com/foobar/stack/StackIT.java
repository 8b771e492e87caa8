package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack as a user runs it: {@code java -jar stack/target/foobar-stack.jar} on free ports with a temporary data
 * directory, checked from the outside with a real HTTP client and through the OS process table.
 */
class StackIT {

    private static final Path JAR = Path.of(System.getProperty("foobar.stack.jar", "target/foobar-stack.jar"));
    /** The first start of a machine unpacks the MariaDB binaries; later ones take well under 30 s. */
    private static final Duration START_LIMIT = Duration.ofMinutes(3);
    private static final Duration STOP_LIMIT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<RunningStack> started = new ArrayList<>();

    /**
     * Ten consecutive free ports: public, admin, web-1, web-2, db primary, db replica, db-failover's status, the
     * overview page, the DNS zone, Prometheus (with --prometheus).
     */
    private final int base = RunningStack.freePorts(10);
    private final int publicPort = base;
    private final int adminPort = base + 1;
    private final int webPort = base + 2;
    private final int dbPort = base + 4;
    private final int failoverPort = base + 6;
    private final int overviewPort = base + 7;
    private final int dnsPort = base + 8;
    private final int prometheusPort = base + 9;

    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @AfterEach
    void leaveNothingRunning() {
        started.forEach(stack -> stack.destroy(STOP_LIMIT));
    }

    @Test
    void runsTheWholeStackFailsOverWhenAWebServerDiesAndStopsCleanlyKeepingTheData() throws Exception {
        Path data = dir.resolve("data");
        // Without crash restarts, so that the dashboard shows web-1 down and it stays down until the stop.
        RunningStack stack = start(data, "--no-restart");
        assertThat(stack.output())
                .contains("balancer configuration written to " + data.resolve("balancer.yml"))
                .contains("curl -H 'Host: www.foobar.com' http://127.0.0.1:" + publicPort + "/")
                .contains("curl --resolve www.foobar.com:" + publicPort + ":127.0.0.1 http://www.foobar.com:"
                        + publicPort + "/api/products")
                .contains("http://127.0.0.1:" + adminPort + "/")
                .contains("127.0.0.1 www.foobar.com");
        assertThat(data.resolve("balancer.yml")).exists();
        long web1 = stack.pidOf("web-1");
        long web2 = stack.pidOf("web-2");
        long balancer = stack.pidOf("balancer");
        assertThat(List.of(web1, web2, balancer)).doesNotHaveDuplicates()
                .allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isPresent());
        assertThat(ProcessHandle.of(web1).orElseThrow().parent().map(ProcessHandle::pid))
                .contains(stack.process.pid());

        // Both web servers answer through the balancer, for the shop's host name.
        Set<String> servedBy = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> home = get("/");
            assertThat(home.statusCode()).isEqualTo(200);
            home.headers().firstValue("X-Served-By").ifPresent(servedBy::add);
        }
        assertThat(servedBy).containsExactlyInAnyOrder("web-1", "web-2");

        // The site's name, as a client finds it: the stack's zone answers www.foobar.com with the balancer's address
        // (asked with the JDK's own DNS client), and the page comes from that address.
        assertThat(stack.output()).contains("dig @127.0.0.1 -p " + dnsPort + " www.foobar.com");
        String address = resolveWithTheStacksZone("www.foobar.com");
        assertThat(address).isEqualTo("127.0.0.1");
        assertThat(resolveWithTheStacksZone("foobar.com")).isEqualTo(address);
        HttpResponse<String> byName = http.send(HttpRequest.newBuilder(URI.create("http://" + address + ":"
                + publicPort + "/")).header("Host", "www.foobar.com").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(byName.statusCode()).isEqualTo(200);
        assertThat(byName.body()).contains("foobar");

        // An order placed through the balancer is read back through it, whichever web server answers.
        long productId = firstProductInStock();
        HttpResponse<String> placed = post("/api/orders", "{\"product_id\":" + productId + ",\"quantity\":1}");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        long orderId = JSON.readTree(placed.body()).path("id").asLong();
        assertThat(orderId).isPositive();
        assertThat(myOrderIds()).contains(orderId);

        // web-1 dies: the stack says so, and the balancer keeps every request succeeding on web-2.
        ProcessHandle.of(web1).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcessHandle.of(web1).map(ProcessHandle::isAlive)
                .orElse(false));
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> response = get("/api/products");
            assertThat(response.statusCode()).as("request %d after web-1 was killed: %s", i, response.body())
                    .isEqualTo(200);
            assertThat(response.headers().firstValue("X-Served-By")).contains("web-2");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stack.output())
                .contains("web-1 (pid " + web1 + ") exited on its own with status 137 (killed by SIGKILL)"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> RunningStack.serverState(http, adminPort, "web-1").equals("down"));

        // SIGTERM stops everything in order and leaves no process behind.
        List<ProcessHandle> tree = stack.process.descendants().collect(Collectors.toList());
        assertThat(tree.size()).as("web-2, balancer, devdb JVM and its database servers").isGreaterThanOrEqualTo(5);
        // ProcessHandle.destroy sends SIGTERM and, unlike Process.destroy, leaves the output stream open to read.
        assertThat(stack.process.toHandle().destroy()).isTrue();
        assertThat(stack.awaitExit(STOP_LIMIT)).isTrue();
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        String out = stack.output();
        assertThat(out.indexOf("stopped balancer")).isPositive().isLessThan(out.indexOf("stopped web-2 in"));
        assertThat(out.indexOf("stopped web-2 in")).isLessThan(out.indexOf("stopped devdb"));
        assertThat(out).as("web-1 was dead before the stop, and is not said to be stopped by it")
                .containsPattern("stopped web-2 in \\d+\\.\\ds; already gone: web-1 \\(it had exited\\)")
                .doesNotContain("stopped web-1");
        assertThat(out).doesNotContain("did not stop within");

        // A second start reuses the data: the order is still there. Crash restarts are on by default: web-1 comes back.
        RunningStack again = start(data);
        assertThat(again.output()).contains("reusing the data in " + data);
        assertThat(myOrderIds()).contains(orderId);
        long newWeb1 = again.pidOf("web-1");
        ProcessHandle.of(newWeb1).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(again.output())
                .containsPattern("web-1 is back: pid \\d+ \\(restart 1\\)"));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> RunningStack.serverState(http, adminPort, "web-1").equals("up"));
    }

    /** Writes get 503 while there is no writer; through the balancer they must succeed again within this. */
    private static final Duration WRITES_BACK_WITHIN = Duration.ofSeconds(10);

    @Test
    void killedDatabasePrimaryIsReplacedWritesSucceedAgainWithinTenSecondsAndItReturnsAsAReplica() throws Exception {
        RunningStack stack = start(dir.resolve("data"));
        assertThat(stack.output()).containsPattern("db-failover\\s+http://127\\.0\\.0\\.1:" + failoverPort
                + "/api/status\\s+\\d+\\s+data/logs/db-failover\\.log");
        assertThat(failoverNode("primary").path("role").asText()).isEqualTo("primary");
        long productId = firstProductInStock();
        HttpResponse<String> before = post("/api/orders", "{\"product_id\":" + productId + ",\"quantity\":1}");
        assertThat(before.statusCode()).as(before.body()).isEqualTo(201);
        long orderBefore = JSON.readTree(before.body()).path("id").asLong();

        long primaryPid = stack.pidOf("db-primary");
        long killedAt = System.nanoTime();
        ProcessHandle.of(primaryPid).orElseThrow().destroyForcibly();

        // One order a poll, each on its own: the first 201 ends the wait; every other answer is counted.
        List<Integer> refused = new ArrayList<>();
        long[] backAfter = new long[1];
        await().atMost(WRITES_BACK_WITHIN).pollInterval(Duration.ofMillis(250)).until(() -> {
            HttpResponse<String> r = post("/api/orders", "{\"product_id\":" + productId + ",\"quantity\":1}");
            if (r.statusCode() == 201) {
                backAfter[0] = System.nanoTime() - killedAt;
                return true;
            }
            refused.add(r.statusCode());
            return false;
        });
        System.out.printf(java.util.Locale.ROOT, "[failover] stack: writes through the balancer succeed again %.1f s"
                + " after the SIGKILL of db-primary's mariadbd; %d write(s) refused before, statuses %s%n",
                backAfter[0] / 1e9, refused.size(), new java.util.TreeSet<>(refused));
        assertThat(refused).as("answers while there was no writer").allMatch(status -> status == 503);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stack.output())
                .contains("!! db-primary (pid " + primaryPid + ") exited on its own (it was the primary). devdb:"
                        + " restarting it in 10s")
                .contains("db-failover: promoted replica-1: is the primary now"));
        assertThat(myOrderIds()).contains(orderBefore);

        // devdb restarts the killed server, read-only; db-failover fences it and makes it replica-1's replica.
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(failoverNode("primary").path("role").asText())
                .isEqualTo("replica"));
        JsonNode old = failoverNode("primary");
        assertThat(old.path("read_only").asBoolean()).isTrue();
        assertThat(old.path("replication").path("source_node").asText()).isEqualTo("replica-1");
        assertThat(stack.output()).contains("db-failover: fenced primary: ").contains("db-failover: reattached primary: ")
                .containsPattern("   db-primary is back: pid \\d+ \\(restart 1, ");
        System.out.printf(java.util.Locale.ROOT, "[failover] stack: the old primary is back as a replica of replica-1"
                + " %.1f s after the kill%n", (System.nanoTime() - killedAt) / 1e9);
        HttpResponse<String> after = post("/api/orders", "{\"product_id\":" + productId + ",\"quantity\":1}");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
    }

    /**
     * The overview page in a real browser: every tier drawn with its state, traffic on the charts, and a database node
     * killed with SIGKILL shown as down within 2 s. Saves the screenshot the README shows
     * ({@code target/screenshots/overview.png}).
     */
    @Test
    void overviewPageShowsEveryTierLiveAndAKilledReplicaAsDownWithinTwoSeconds() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        if (chromium.isEmpty() && "1".equals(System.getenv("FOOBAR_BROWSER_REQUIRED"))) {
            throw new AssertionError("FOOBAR_BROWSER_REQUIRED=1, but there is no chromium on the PATH");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(chromium.isPresent(),
                "no chromium on the PATH (Debian: apt-get install chromium)");
        // The machine's Prometheus too, when it has one (CI does): the other whole-system view, one flag away.
        boolean withPrometheus = HeadlessChromium.onPath("prometheus").isPresent();
        RunningStack stack = withPrometheus ? start(dir.resolve("data"), "--prometheus") : start(dir.resolve("data"));
        if (withPrometheus) {
            assertThat(stack.output()).containsPattern("prometheus\\s+http://127\\.0\\.0\\.1:" + prometheusPort
                    + "/\\s+\\d+\\s+data/logs/prometheus\\.log");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(prometheusTargets()).containsExactlyInAnyOrder("balancer/balancer up",
                            "webapp/web-1 up", "webapp/web-2 up", "db-failover/db-failover up"));
        }
        URI page = URI.create("http://127.0.0.1:" + overviewPort + "/");
        assertThat(stack.output()).containsPattern("overview\\s+" + java.util.regex.Pattern.quote(page.toString()));
        // Traffic while the page is watched: one request at a time, bounded in count and time (and stopped below).
        long loadEnds = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Thread load = new Thread(() -> {
            for (int i = 0; i < 20_000 && !Thread.currentThread().isInterrupted() && System.nanoTime() < loadEnds; i++) {
                try {
                    get("/api/products");
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // counted by the balancer and shown on the page; this test asserts the page
                }
            }
        }, "overview-load");
        load.start();
        try (HeadlessChromium browser = HeadlessChromium.launch(chromium.get(), 1400, 950)) {
            browser.open(page);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(states(browser)).containsEntry("balancers/balancer", "up")
                        .containsEntry("webs/web-1", "up").containsEntry("webs/web-2", "up")
                        .containsEntry("databases/primary", "primary").containsEntry("databases/replica-1", "replica")
                        .containsEntry("databases/db-failover", "up");
                assertThat(browser.evaluate("document.querySelectorAll('#charts canvas').length").asInt()).isEqualTo(3);
                assertThat(browser.evaluate("document.querySelectorAll('#links line').length").asInt())
                        .as("client-balancer, balancer-webs, webs-databases, replication").isEqualTo(8);
                assertThat(browser.evaluate("document.querySelector('#events').textContent").asText())
                        .contains("web/web-1").contains("is UP");
            });
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(browser.evaluate("document.querySelector('.box[data-name=\"web-1\"] .figures').textContent")
                        .asText()).matches("[1-9][0-9.]* req/s .*");
                assertThat(browser.evaluate("document.querySelector('.box[data-name=\"replica-1\"] .figures')"
                        + ".textContent").asText()).matches("[1-9][0-9.]* reads/s .*replicating · lag \\d+ s");
            });
            Path shots = Path.of("target", "screenshots");
            java.nio.file.Files.createDirectories(shots);
            java.nio.file.Files.write(shots.resolve("overview.png"), browser.screenshot());

            long replicaPid = stack.pidOf("db-replica-1");
            long killedAt = System.nanoTime();
            ProcessHandle.of(replicaPid).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> "down".equals(states(browser).get("databases/replica-1")));
            System.out.printf(java.util.Locale.ROOT, "[overview] the page showed db-replica-1 down %.2f s after its"
                    + " SIGKILL%n", (System.nanoTime() - killedAt) / 1e9);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(browser.evaluate("document.querySelector('#events').textContent").asText())
                            .contains("replica-1").contains("-> down"));
            java.nio.file.Files.write(shots.resolve("overview-replica-down.png"), browser.screenshot());
        } finally {
            load.interrupt();
            load.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    /** The A record of {@code name} in the stack's zone, asked over DNS with the JDK's JNDI DNS provider. */
    private String resolveWithTheStacksZone(String name) throws Exception {
        java.util.Hashtable<String, String> env = new java.util.Hashtable<>();
        env.put(javax.naming.Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
        env.put(javax.naming.Context.PROVIDER_URL, "dns://127.0.0.1:" + dnsPort);
        javax.naming.directory.DirContext dns = new javax.naming.directory.InitialDirContext(env);
        try {
            return dns.getAttributes(name, new String[] {"A"}).get("A").get().toString();
        } finally {
            dns.close();
        }
    }

    /** Prometheus's targets as "job/instance health". */
    private List<String> prometheusTargets() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort
                + "/api/v1/targets")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        List<String> out = new ArrayList<>();
        for (JsonNode t : JSON.readTree(r.body()).path("data").path("activeTargets")) {
            out.add(t.path("labels").path("job").asText() + "/" + t.path("labels").path("instance").asText() + " "
                    + t.path("health").asText());
        }
        return out;
    }

    /** Each box on the overview page as "tier/name" -> its data-state. */
    private static java.util.Map<String, String> states(HeadlessChromium browser) throws Exception {
        JsonNode boxes = browser.evaluate("[...document.querySelectorAll('.box[data-tier]')]"
                + ".map(b => [b.dataset.tier + '/' + b.dataset.name, b.dataset.state])");
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        boxes.forEach(b -> out.put(b.get(0).asText(), b.get(1).asText()));
        return out;
    }

    private JsonNode failoverNode(String name) throws Exception {
        HttpResponse<String> status = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + failoverPort + "/api/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        for (JsonNode node : JSON.readTree(status.body()).path("nodes")) {
            if (node.path("name").asText().equals(name)) {
                return node;
            }
        }
        throw new AssertionError("no node " + name + " in " + status.body());
    }

    private RunningStack start(Path data, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                "--bind", "127.0.0.1",
                "--port", Integer.toString(publicPort),
                "--admin-port", Integer.toString(adminPort),
                "--web-port", Integer.toString(webPort),
                "--db-port", Integer.toString(dbPort),
                "--failover-port", Integer.toString(failoverPort),
                "--overview-port", Integer.toString(overviewPort),
                "--dns-port", Integer.toString(dnsPort),
                "--prometheus-port", Integer.toString(prometheusPort),
                "--data-dir", data.toString()));
        command.addAll(List.of(extra));
        assertThat(JAR).as("the packaged stack jar").exists();
        RunningStack stack = RunningStack.launch(command, dir, START_LIMIT);
        started.add(stack);
        return stack;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + publicPort + path))
                .header("Host", "www.foobar.com")
                .timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long firstProductInStock() throws Exception {
        HttpResponse<String> response = get("/api/products");
        assertThat(response.statusCode()).isEqualTo(200);
        Optional<JsonNode> product = findObject(JSON.readTree(response.body()),
                node -> node.path("id").canConvertToLong() && node.path("stock").asLong(0) > 0);
        return product.orElseThrow(() -> new AssertionError("no product in stock in " + response.body()))
                .path("id").asLong();
    }

    private Set<Long> myOrderIds() throws Exception {
        HttpResponse<String> response = get("/api/orders");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Set<Long> ids = new HashSet<>();
        for (JsonNode order : JSON.readTree(response.body()).path("orders")) {
            ids.add(order.path("id").asLong());
        }
        return ids;
    }

    private static Optional<JsonNode> findObject(JsonNode node, java.util.function.Predicate<JsonNode> match) {
        if (node.isObject() && match.test(node)) {
            return Optional.of(node);
        }
        for (JsonNode child : node) {
            Optional<JsonNode> found = findObject(child, match);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
