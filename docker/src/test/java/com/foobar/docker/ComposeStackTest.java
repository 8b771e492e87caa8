package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code docker compose up} for real: docker/compose.yaml brought up on this machine's Docker engine (see
 * {@link ComposeStack} for where the images come from), then checked only through what a user has, the published
 * ports and the docker CLI:
 * <ul>
 *   <li>the shop answers through the published ports (lb-1) from both web servers, over HTTP and over HTTPS with the
 *       CA the balancers made, and an order written is read back at once (read-your-writes across web servers);</li>
 *   <li>the segmentation holds, probed from inside containers: neither balancer can open a TCP connection to either
 *       database, a container on {@code front} reaches the VIP but not web-1, a stranger on {@code app} gets 403;</li>
 *   <li>Prometheus reports every scrape target up (both balancers, both web servers);</li>
 *   <li>web-1 killed under a steady read load costs 0 failed GETs, and started again at another address it takes
 *       traffic again within 30 s, with no restart of the balancer;</li>
 *   <li>the balancer pair, from the host through the front bridge to the VIP under a steady keep-alive
 *       load: {@code docker kill} of the balancer holding the VIP moves it to the other ({@code ip addr} in both
 *       namespaces), with a failover window under 3 s and HTTPS still trusted; the killed one started again comes back
 *       as BACKUP, with the VIP left where it is and no failed request; and a whole node losing its network (its
 *       namespace holder killed) hands the VIP back within 3 s too. The figures are printed as {@code [compose]}
 *       lines;</li>
 *   <li>{@code down -v} leaves no container, network or volume of the project.</li>
 * </ul>
 * Where the stack cannot run (no Docker engine, no compose, images neither local nor pullable) the tests are skipped
 * with that one-line reason; {@code FOOBAR_COMPOSE_REQUIRED=1} (set by .ci/run) makes that a failure instead. Host
 * ports are free ones on 127.0.0.1, the app network is 10.213.8.0/24 and front 10.213.9.0/24, so a stack a developer
 * left running is not disturbed; {@code FOOBAR_COMPOSE_PROJECT}, {@code FOOBAR_COMPOSE_APP_NET} and
 * {@code FOOBAR_COMPOSE_FRONT_NET} move the project and the networks, for two runs on one engine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackTest {
    private static final String PROJECT = ComposeStack.setting("FOOBAR_COMPOSE_PROJECT", "foobar-compose-test");
    /** Not the default 10.213.7: a stack a developer left running keeps its network, and the override is tested. */
    private static final String APP_NET = ComposeStack.setting("FOOBAR_COMPOSE_APP_NET", "10.213.8");
    /** Not the default 10.213.6, for the same reasons. */
    private static final String FRONT_NET = ComposeStack.setting("FOOBAR_COMPOSE_FRONT_NET", "10.213.9");
    /** Not the default 10.213.5, for the same reasons: the database nodes' fixed addresses. */
    private static final String DB_NET = ComposeStack.setting("FOOBAR_COMPOSE_DB_NET", "10.213.11");
    /** The VIP, as compose.yaml derives it from FOOBAR_FRONT_NET; the public listener's container port. */
    private static final String VIP = FRONT_NET + ".10";
    private static final int VIP_HTTP_PORT = 80;
    private static final int VIP_HTTPS_PORT = 443;
    /** The balancer pair's failover goal: the site is unreachable through the VIP for less than this. */
    private static final Duration FAILOVER_GOAL = Duration.ofSeconds(3);
    private static final Duration UP = Duration.ofMinutes(20);
    private static final Duration STEP = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "www.foobar.com";

    private static ComposeStack stack;
    private static int httpPort;
    private static int httpsPort;
    private static int adminPort;
    private static int admin2Port;
    private static int prometheusPort;
    private static int failoverPort;
    private static int overviewPort;
    private static int logsPort;
    private static HttpClient client;
    /** Trusts the balancers' CA, for www.foobar.com, whatever address is dialled (SiteTrust). */
    private static javax.net.ssl.SSLContext siteTrust;
    private static Path work;
    /**
     * keepalived-1 and keepalived-2's container ids, resolved once: `docker-compose ps` takes a second or more here,
     * and a VIP poll that ran it twice measured the compose CLI, not the failover (the VIP seemed to move after 10 s
     * when it had moved in under 2). The sidecars are never recreated by the tests, so the ids hold.
     */
    private static final Map<Integer, String> KEEPALIVED = new HashMap<>();

    @BeforeAll
    static void up() throws IOException {
        httpPort = ComposeStack.freePort();
        httpsPort = ComposeStack.freePort();
        adminPort = ComposeStack.freePort();
        admin2Port = ComposeStack.freePort();
        prometheusPort = ComposeStack.freePort();
        Map<String, String> variables = new HashMap<>(Map.of(
                "LB_HTTP_ADDRESS", "127.0.0.1",
                "LB_HTTP_PORT", Integer.toString(httpPort),
                "LB_HTTPS_PORT", Integer.toString(httpsPort),
                "LB_ADMIN_PORT", Integer.toString(adminPort),
                "LB2_ADMIN_PORT", Integer.toString(admin2Port),
                "PROMETHEUS_PORT", Integer.toString(prometheusPort),
                "GRAFANA_PORT", Integer.toString(ComposeStack.freePort()),
                "FOOBAR_APP_NET", APP_NET,
                "FOOBAR_FRONT_NET", FRONT_NET,
                "FOOBAR_DB_NET", DB_NET));
        failoverPort = ComposeStack.freePort();
        variables.put("FOOBAR_FAILOVER_PORT", Integer.toString(failoverPort));
        overviewPort = ComposeStack.freePort();
        variables.put("OVERVIEW_PORT", Integer.toString(overviewPort));
        logsPort = ComposeStack.freePort();
        variables.put("LOGS_SYSLOG_PORT", Integer.toString(logsPort));
        ComposeStack.Preparation prep = ComposeStack.prepare(PROJECT, variables, ComposeStackTest::progress);
        if (prep.unavailable() != null) {
            if ("1".equals(System.getenv("FOOBAR_COMPOSE_REQUIRED"))) {
                throw new AssertionError("FOOBAR_COMPOSE_REQUIRED=1, but the compose stack cannot run here: "
                        + prep.unavailable());
            }
            Assumptions.abort(prep.unavailable());
        }
        stack = prep.stack();
        progress("images: " + stack.mode() + ", database flavour: " + stack.dbFlavor());
        // A previous run killed half-way leaves its project behind; start from nothing.
        stack.compose(STEP, "down", "-v", "--remove-orphans");
        long started = System.nanoTime();
        stack.compose(UP, ComposeStackTest::progress, "up", "-d", "--build").orFail();
        List<String> awaited = new java.util.ArrayList<>(List.of("lb-1", "lb-2", "keepalived-1", "keepalived-2",
                "db-failover", "prometheus", "overview", "dns", "logs", "agent-lb", "agent-web", "agent-db",
                "mysql-primary-exporter", "mysql-replica-exporter"));
        if (stack.hasGrafana()) {
            awaited.add("grafana");
        }
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            for (String service : awaited) {
                assertThat(stack.inspect(service, "{{.State.Health.Status}}")).as(service).isEqualTo("healthy");
            }
        });
        progress(String.format("up and healthy in %.1f s", (System.nanoTime() - started) / 1e9));
        work = Files.createTempDirectory("compose-stack-test");
        // Every request goes over HTTPS, as from any client outside: port 80 only redirects. As the README says: copy
        // the CA out of the lb and trust it.
        Path ca = work.resolve("ca.pem");
        stack.docker(STEP, "cp", stack.container("lb-1") + ":/var/lib/foobar/balancer/tls/ca.pem", ca.toString())
                .orFail();
        try {
            siteTrust = SiteTrust.forSite(ca, HOST);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError("the balancers' CA: " + e, e);
        }
        client = siteClient().cookieHandler(new CookieManager()).build();
        // Traffic goes to the VIP only once it is known to be on our own front network, in one of our containers.
        String subnet = stack.docker(STEP, "network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}",
                stack.network("front")).orFail();
        assertThat(subnet).as("the project's front network").isEqualTo(FRONT_NET + ".0/24");
        KEEPALIVED.put(1, stack.container("keepalived-1"));
        KEEPALIVED.put(2, stack.container("keepalived-2"));
        // Settled: one node holds the VIP and says MASTER, the other says BACKUP.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Set<Integer> holders = vipHolders();
            if (holders.size() != 1) {
                return false;
            }
            int holder = holders.iterator().next();
            return keepalivedStatus(holder).startsWith("MASTER: holds")
                    && keepalivedStatus(3 - holder).startsWith("BACKUP: ready");
        });
        progress("VIP " + VIP + " held by " + vipHolders() + "; lb-1 " + keepalivedStatus(1) + "; lb-2 "
                + keepalivedStatus(2));
    }

    @AfterAll
    static void down() {
        if (stack != null && !stack.leftovers().isEmpty()) {
            stack.compose(STEP, "down", "-v", "--remove-orphans");
        }
    }

    @Test
    @Order(1)
    void servesTheShopThroughTheLoadBalancerFromBothWebServers() throws Exception {
        Set<String> servedBy = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> home = get("/");
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            servedBy.add(home.headers().firstValue("X-Served-By").orElse("none"));
        }
        assertThat(servedBy).containsExactlyInAnyOrder("web-1", "web-2");
    }

    @Test
    @Order(1)
    void portEightyOnlyRedirectsToHttpsAndHttpsAnswersWithHsts() throws Exception {
        // The first firewall: from the outside the balancers take HTTPS only. Plain HTTP is answered, whatever the
        // method, with a 308 to the same target on https:// (308 keeps a POST a POST), and nothing is proxied.
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String method : List.of("GET", "POST")) {
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/api/products?page=2")).header("Host", HOST).timeout(Duration.ofSeconds(10))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(308);
            assertThat(r.headers().firstValue("Location")).as(method).contains("https://" + HOST + "/api/products?page=2");
            assertThat(r.headers().firstValue("X-Served-By")).as("proxied to a web server").isEmpty();
        }
        HttpResponse<String> https = get("/");
        assertThat(https.statusCode()).isEqualTo(200);
        assertThat(https.headers().firstValue("Strict-Transport-Security"))
                .contains("max-age=31536000; includeSubDomains");
        progress("first firewall: http:// answers 308 to https:// (GET and POST), https:// carries HSTS");
    }

    @Test
    @Order(2)
    void placesAnOrderAndReadsItBackThroughTheLoadBalancer() throws Exception {
        long productId = firstProductId(get("/api/products"));
        HttpResponse<String> placed = client.send(request("/api/orders")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"product_id\":" + productId + ",\"quantity\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        assertThat(placed.headers().firstValue("X-Db-Node")).contains("primary");
        long orderId = JSON.readTree(placed.body()).path("id").asLong();

        // Read at once, through the lb, so on either web server: read-your-writes makes the order visible, from the
        // replica once it has caught up to the visitor's token, else from the primary.
        HttpResponse<String> mine = get("/api/orders");
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.headers().firstValue("X-Db-Node").orElse("none")).isIn("replica-1", "primary");
        assertThat(orderIds(mine.body())).contains(orderId);
        // Plain reads go to the replica.
        assertThat(get("/api/products").headers().firstValue("X-Db-Node")).contains("replica-1");
    }

    @Test
    @Order(3)
    void servesHttpsWithTheCertificateOfTheCaTheLoadBalancerMade() throws Exception {
        // As the README says: copy the CA out of the lb and trust it; curl resolves www.foobar.com to the published
        // port, so SNI and the certificate's name are the real ones.
        Path ca = work.resolve("ca.pem");
        Path jar = work.resolve("cookies.txt");
        String products = curlHttps(ca, jar, "/api/products");
        assertThat(products).contains("HTTP/2 200").containsIgnoringCase("x-db-node: replica-1");
        long productId = JSON.readTree(body(products)).path("items").get(0).path("id").asLong();

        String placed = curlHttps(ca, jar, "/api/orders", "-H", "Content-Type: application/json",
                "--data", "{\"product_id\":" + productId + ",\"quantity\":2}");
        assertThat(placed).contains("HTTP/2 201").containsIgnoringCase("x-db-node: primary");
        long orderId = JSON.readTree(body(placed)).path("id").asLong();
        String mine = curlHttps(ca, jar, "/api/orders");
        assertThat(mine).contains("HTTP/2 200");
        assertThat(orderIds(body(mine))).contains(orderId);
    }

    @Test
    @Order(4)
    void theAdminApiIsPublishedOnLoopbackAndSeesBothServersUp() throws Exception {
        assertThat(serversUp()).containsExactlyInAnyOrder("web-1", "web-2");
    }

    @Test
    @Order(4)
    void theOverviewShowsEveryTierFromInsideCompose() throws Exception {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, String> states = overviewStates();
            assertThat(states).containsEntry("balancers/lb-1", "up").containsEntry("balancers/lb-2", "up")
                    .containsEntry("webs/web-1", "up").containsEntry("webs/web-2", "up")
                    .containsEntry("databases/mysql-primary", "primary")
                    .containsEntry("databases/mysql-replica", "replica");
        });
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + overviewPort
                + "/")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("uPlot.iife.min.js").contains("overview.js");
        progress("overview: every tier shown, " + overviewStates());
    }

    @Test
    @Order(4)
    void aClientOnTheFrontNetworkFindsTheSiteByNameThroughTheZone() {
        // A client configured with the site's name server, as k6 is: www.foobar.com and foobar.com are the VIP, and
        // the page comes from the address the name gave.
        // It trusts the balancers' CA (mounted), and goes to https:// by name, as a browser would after the 308.
        Cli.Result probe = stack.docker(STEP, "run", "--rm", "--network", stack.network("front"),
                "--dns", FRONT_NET + ".53", "-v", work.resolve("ca.pem") + ":/ca.pem:ro",
                "--entrypoint", "bash", "foobar/webapp:latest", "-c",
                "getent hosts www.foobar.com; getent hosts foobar.com;"
                        + " curl -s -o /dev/null -w 'http=%{http_code} %{redirect_url}\\n' http://www.foobar.com/;"
                        + " curl -s --cacert /ca.pem -o /dev/null -w 'www=%{http_code}\\n' https://www.foobar.com/");
        String out = probe.orFail();
        assertThat(out).containsPattern("(?m)^" + java.util.regex.Pattern.quote(VIP) + "\\s+www\\.foobar\\.com$")
                .containsPattern("(?m)^" + java.util.regex.Pattern.quote(VIP) + "\\s+foobar\\.com$")
                .contains("http=308 https://www.foobar.com/", "www=200");
        progress("dns: a client on front resolves www.foobar.com and foobar.com to the VIP " + VIP
                + " through the zone's server and gets the page by name");
    }

    @Test
    @Order(5)
    void neitherBalancerCanReachEitherDatabase() {
        for (String db : List.of("mysql-primary", "mysql-replica")) {
            String address = stack.addressOn(db, "db");
            // The probe works: web-1, which is on db, does connect.
            assertThat(tcpConnect("web-1", address, 3306)).as("web-1 -> %s %s:3306", db, address).isEqualTo(0);
            for (String lb : List.of("lb-1", "lb-2")) {
                assertThat(tcpConnect(lb, address, 3306)).as("%s -> %s %s:3306", lb, db, address).isNotEqualTo(0);
                assertThat(stack.docker(STEP, "exec", stack.container(lb), "getent", "hosts", db).ok())
                        .as("%s resolves %s", lb, db).isFalse();
            }
        }
    }

    @Test
    @Order(5)
    void theDatabaseAcceptsOnlyItsClientsAddressesAndNoAccountIsPercent() {
        // The third firewall, by account: every account is bound to the fixed addresses on db of the services that
        // use it (compose.yaml, x-db-accounts), root to localhost. Read with root over the node's socket.
        for (String node : List.of("mysql-primary", "mysql-replica")) {
            String accounts = stack.docker(STEP, "exec", stack.container(node), "sh", "-c",
                    "MYSQL_PWD=\"$MYSQL_ROOT_PASSWORD\" \"$(command -v mariadb || command -v mysql)\" -uroot -N -B -e"
                            + " \"SELECT CONCAT(user, '@', host) FROM mysql.user WHERE user <> '' ORDER BY 1\"")
                    .orFail();
            List<String> list = accounts.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            progress(node + " accounts: " + list);
            assertThat(list).as(node).noneMatch(a -> a.endsWith("@%"))
                    .contains("foobar@" + DB_NET + ".20", "foobar@" + DB_NET + ".21", "foobar@127.0.0.1",
                            "repl@" + DB_NET + ".10", "repl@" + DB_NET + ".11", "failover@" + DB_NET + ".30",
                            "exporter@" + DB_NET + ".41", "exporter@" + DB_NET + ".42", "root@localhost")
                    .filteredOn(a -> a.startsWith("root@")).containsExactly("root@localhost");
        }
        // A stranger that joins db (an address from ip_range) with the shop's right password is refused by the
        // server: the network lets it reach port 3306, the accounts do not let it in.
        String image = stack.inspect("mysql-primary", "{{.Config.Image}}");
        Cli.Result stranger = stack.docker(STEP, "run", "--rm", "--network", stack.network("db"), "--entrypoint", "sh",
                image, "-c", "MYSQL_PWD=foobar-secret \"$(command -v mariadb || command -v mysql)\" --protocol=tcp -h "
                        + DB_NET + ".10 -P3306 -ufoobar -e 'SELECT 1' 2>&1; echo exit=$?");
        assertThat(stranger.output()).contains("is not allowed to connect").doesNotContain("exit=0");
        progress("third firewall: no account is '%'; a stranger on db is told: "
                + stranger.output().lines().filter(l -> l.contains("not allowed")).findFirst().orElse(""));
    }

    @Test
    @Order(6)
    void aContainerOnTheFrontNetworkReachesTheVipButNeitherTheAdminApiNorTheWebServers() {
        String web1 = stack.addressOn("web-1", "app");
        // An outside client on front, as k6 is: it reaches the balancers (the VIP, and lb-2 by name), and nothing
        // behind them.
        // Not the balancers' admin listener either: its ACL closes a connection from front at accept, so curl gets
        // no answer at all (000), on the VIP and on lb-2's own address.
        String lb2 = FRONT_NET + ".12";
        Cli.Result probe = stack.docker(STEP, "run", "--rm", "--network", stack.network("front"),
                "-v", work.resolve("ca.pem") + ":/ca.pem:ro", "--entrypoint", "bash", "foobar/webapp:latest", "-c",
                "curl -s --cacert /ca.pem --resolve www.foobar.com:443:" + VIP
                        + " -o /dev/null -w 'vip=%{http_code}\\n' https://www.foobar.com/;"
                        + " curl -s --cacert /ca.pem --resolve www.foobar.com:443:" + lb2
                        + " -o /dev/null -w 'lb=%{http_code}\\n' https://www.foobar.com/;"
                        + " curl -s --max-time 5 -o /dev/null -w 'admin-vip=%{http_code}\\n' http://" + VIP
                        + ":9090/api/status;"
                        + " curl -s --max-time 5 -o /dev/null -w 'admin-lb=%{http_code}\\n' http://" + lb2
                        + ":9090/metrics;"
                        + " getent hosts web-1 >/dev/null && echo resolves=yes || echo resolves=no;"
                        + " timeout 5 bash -c 'exec 3<>/dev/tcp/" + web1 + "/8080' 2>/dev/null"
                        + " && echo connect=yes || echo connect=no");
        assertThat(probe.orFail()).contains("vip=200", "lb=200", "admin-vip=000", "admin-lb=000", "resolves=no",
                "connect=no");
    }

    @Test
    @Order(7)
    void anotherContainerOnTheAppNetworkIsRefusedByTheWebServers() {
        // Any container attached to app, as `docker run --network <project>_app` would do: it gets an address from
        // the network's dynamic range, which no web server trusts. The webapp image is used for its curl.
        List<String> urls = List.of("http://web-1:8080/", "http://web-2:8080/", "http://web-1:8080/ready",
                "http://web-2:8080/metrics", "http://web-1:8080/health");
        List<String> command = new java.util.ArrayList<>(List.of("run", "--rm", "--network", stack.network("app"),
                "--entrypoint", "curl", "foobar/webapp:latest", "-sS", "--max-time", "10", "-w",
                "\nstatus=%{http_code} %{url_effective}\n"));
        command.addAll(urls);
        String out = stack.docker(STEP, command.toArray(String[]::new)).orFail() + "\n";
        for (String url : urls) {
            assertThat(out).as("a stranger on app asks %s", url).contains("status=403 " + url + "\n");
        }
        assertThat(out).contains("forbidden: this server only accepts requests through its load balancer");
    }

    @Test
    @Order(8)
    void theAgentsShipEveryTiersMetricsToTheCollectorWhichScrapesNoTier() throws Exception {
        // Every tier's series arrive at the collector, pushed by the agent next to the tier: each `up` with its job
        // and instance, including the database nodes (their exporters) and the agents themselves.
        Map<String, String> expected = new TreeMap<>(Map.ofEntries(Map.entry("balancer/lb-1", "1"),
                Map.entry("balancer/lb-2", "1"), Map.entry("webapp/web-1", "1"), Map.entry("webapp/web-2", "1"),
                Map.entry("mysql/mysql-primary", "1"), Map.entry("mysql/mysql-replica", "1"),
                Map.entry("db-failover/db-failover", "1"), Map.entry("agent/agent-lb", "1"),
                Map.entry("agent/agent-web", "1"), Map.entry("agent/agent-db", "1"),
                Map.entry("prometheus/prometheus", "1")));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(promSeries("up", "job", "instance")).isEqualTo(expected));
        // The nodes answer their exporters, and the replica replicates (its I/O thread, as the exporter reads it).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(promSeries("mysql_up", "instance")).isEqualTo(Map.of("mysql-primary", "1", "mysql-replica", "1"));
            assertThat(promSeries("mysql_slave_status_slave_io_running or mysql_slave_status_replica_io_running",
                    "instance")).containsEntry("mysql-replica", "1");
        });
        // Which agent shipped what: the one next to the tier.
        assertThat(promSeries("count by (job, agent) (up)", "job", "agent")).containsEntry("balancer/agent-lb", "2")
                .containsEntry("webapp/agent-web", "2").containsEntry("mysql/agent-db", "2")
                .containsEntry("db-failover/agent-db", "1");
        // The collector itself scrapes only itself: nothing behind the balancers accepts it, nor needs to.
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort
                + "/api/v1/targets?state=active")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> pulled = new java.util.ArrayList<>();
        JSON.readTree(r.body()).path("data").path("activeTargets")
                .forEach(t -> pulled.add(t.path("labels").path("job").asText()));
        assertThat(pulled).containsExactly("prometheus");
        progress("monitoring: the collector received " + expected.keySet() + " from agent-lb, agent-web, agent-db");
    }

    @Test
    @Order(8)
    void everyServicesOutputReachesTheLogsServiceFiledByService() {
        // A request whose access-log line can be told from every other, through whichever balancer holds the port.
        String marker = "log-probe-" + java.util.UUID.randomUUID();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(get("/api/products?" + marker).statusCode()).isEqualTo(200);
            assertThat(stack.docker(STEP, "exec", stack.container("logs"), "grep", "-c", marker,
                    "/var/log/foobar/lb-1.log", "/var/log/foobar/all.log").output())
                    .contains("/var/log/foobar/lb-1.log:", "/var/log/foobar/all.log:")
                    .doesNotContain("lb-1.log:0", "all.log:0");
        });
        String files = stack.docker(STEP, "exec", stack.container("logs"), "ls", "/var/log/foobar").orFail();
        assertThat(files.lines().toList()).contains("all.log", "lb-1.log", "lb-2.log", "keepalived-1.log",
                "web-1.log", "web-2.log", "mysql-primary.log", "mysql-replica.log", "db-failover.log", "dns.log",
                "overview.log", "agent-db.log", "mysql-primary-exporter.log");
        // The balancer's access-log line, as filed: the time it arrived, the service, the line as lb-1 wrote it (the
        // web server that answered logged the same request in its own file).
        String line = stack.docker(STEP, "exec", stack.container("logs"), "grep", "-m1", "-h", marker,
                "/var/log/foobar/lb-1.log").orFail();
        progress("logs: every service files its output in the logs service; lb-1's line of the probe: " + line.strip());
        assertThat(line).contains(" lb-1 ").contains(marker);
    }

    @Test
    @Order(9)
    void killingAWebServerUnderLoadFailsNoRequestAndItsReturnAtANewAddressIsFollowed() throws Exception {
        String lbStartedAt = stack.inspect("lb-1", "{{.State.StartedAt}}");
        String web1 = stack.container("web-1");
        String oldAddress = stack.addressOn("web-1", "app");
        String placeholder = null;
        try (SteadyLoad load = new SteadyLoad(4, Duration.ofMinutes(3), 100_000, () -> request("/api/products").GET().build(),
                siteClient())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.servedBy("web-1") >= 20 && load.servedBy("web-2") >= 20);

            stack.docker(STEP, "kill", web1).orFail();
            long killedAt = load.total();
            await().atMost(Duration.ofSeconds(30)).until(() -> !serversUp().contains("web-1"));
            // Keep the load on a while with web-1 out, as it would be until someone acts.
            await().atMost(Duration.ofSeconds(30)).until(() -> load.total() >= killedAt + 200);

            // Someone else takes web-1's old address, so that web-1 comes back at another one, as it may in Docker.
            placeholder = stack.docker(STEP, "run", "-d", "--network", stack.network("app"), "--ip", oldAddress,
                    "--entrypoint", "sleep", "foobar/webapp:latest", "600").orFail();
            long startedAt = System.nanoTime();
            stack.docker(STEP, "start", web1).orFail();
            String newAddress = stack.addressOn("web-1", "app");
            assertThat(newAddress).as("web-1's address after its restart").isNotEqualTo(oldAddress);

            long before = load.servedBy("web-1");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> load.servedBy("web-1") > before);
            progress(String.format("web-1 back at %s (was %s): served again %.1f s after docker start",
                    newAddress, oldAddress, (System.nanoTime() - startedAt) / 1e9));
            load.stop();
            progress("steady load: " + load.total() + " GETs, " + load.failures() + " failed " + load.failureSamples());
            assertThat(load.failures()).as("failed GETs: %s", load.failureSamples()).isZero();
        } finally {
            if (placeholder != null) {
                stack.docker(STEP, "rm", "-f", placeholder);
            }
        }
        assertThat(stack.inspect("lb-1", "{{.State.StartedAt}}")).as("lb-1 was not restarted").isEqualTo(lbStartedAt);
        assertThat(stack.inspect("lb-1", "{{.RestartCount}}")).isEqualTo("0");
    }

    @Test
    @Order(10)
    void killingTheBalancerThatHoldsTheVipMovesItToTheOtherAndItsReturnLeavesItThere() throws Exception {
        Set<Integer> holders = vipHolders();
        assertThat(holders).as("nodes whose namespace holds %s", VIP).hasSize(1);
        int active = holders.iterator().next();
        int standby = 3 - active;
        assertThat(keepalivedStatus(standby)).startsWith("BACKUP");
        // The CA as a client has it (copied from the active balancer): after the failover the other one must be
        // trusted with it too.
        Path ca = work.resolve("vip-ca.pem");
        stack.docker(STEP, "cp", stack.container("lb-" + active) + ":/var/lib/foobar/balancer/tls/ca.pem",
                ca.toString()).orFail();

        try (VipLoad load = new VipLoad(4, Duration.ofMinutes(3), 200_000)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.successes() >= 200);
            assertThat(load.failures()).as("failed GETs to the VIP before anything was killed: %s",
                    load.failureSamples()).isZero();

            String victim = stack.container("lb-" + active);
            long killedAt = System.nanoTime();
            stack.docker(STEP, "kill", victim).orFail();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> vipHolders().equals(Set.of(standby)));
            double movedAfter = (System.nanoTime() - killedAt) / 1e9;
            // The window is over when the VIP has answered for 2 s without a failure.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> load.quietFor(Duration.ofSeconds(2)) && load.successesSince(killedAt) >= 100);
            VipLoad.Window w = load.windowSince(killedAt);
            progress(String.format("failover: docker kill lb-%d (held the VIP %s): the VIP is on lb-%d after %.1f s"
                            + " (ip addr, polled); failover window %.2f s (first to last failed request),"
                            + " longest gap without a success %.2f s; %d of %d GETs failed %s",
                    active, VIP, standby, movedAfter, w.failingFor().toMillis() / 1e3, w.longestGap().toMillis() / 1e3,
                    w.failed(), w.total(), load.failureSamples()));
            assertThat(keepalivedStatus(active)).as("keepalived of the killed balancer").startsWith("FAULT");
            assertThat(w.failingFor()).as("failover window").isLessThan(FAILOVER_GOAL);
            assertThat(w.longestGap()).as("longest gap without a success").isLessThan(FAILOVER_GOAL);
            // HTTPS through the VIP, now served by the other balancer, with the CA the client already had.
            String https = curlHttpsVip(ca, "/api/products");
            assertThat(https).contains("HTTP/2 200");

            // The killed balancer comes back: with preemption off it stays BACKUP and the VIP does not move.
            long returnedAt = System.nanoTime();
            stack.docker(STEP, "start", stack.container("lb-" + active)).orFail();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> keepalivedStatus(active).startsWith("BACKUP"));
            double backAfter = (System.nanoTime() - returnedAt) / 1e9;
            // Some more load with both up, then the verdict on the whole return.
            long more = load.successes() + 300;
            await().atMost(Duration.ofSeconds(30)).until(() -> load.successes() >= more
                    && System.nanoTime() - returnedAt > Duration.ofSeconds(3).toNanos() + (long) (backAfter * 1e9));
            VipLoad.Window back = load.windowSince(returnedAt);
            progress(String.format("return: lb-%d started again is BACKUP after %.1f s; the VIP stayed on lb-%d"
                            + " (preemption off); %d GETs meanwhile, %d failed",
                    active, backAfter, standby, back.total(), back.failed()));
            assertThat(vipHolders()).as("the VIP stays where it is").isEqualTo(Set.of(standby));
            assertThat(back.failed()).as("failed GETs while lb-%d returned: %s", active, load.failureSamples()).isZero();
            assertThat(keepalivedStatus(standby)).startsWith("MASTER");
        }
    }

    @Test
    @Order(11)
    void aNodeThatLosesItsNetworkHandsTheVipToTheOtherByAdvertTimeout() throws Exception {
        // The whole node goes: its namespace holder is killed, so its balancer and keepalived lose their network at
        // once and no FAULT advert is sent; the backup takes over when three adverts have not come.
        // If the test before stopped half-way, a balancer may still be down: this one starts from a whole pair,
        // so that its verdict is its own.
        for (int n = 1; n <= 2; n++) {
            if (!"true".equals(stack.inspect("lb-" + n, "{{.State.Running}}"))) {
                progress("lb-" + n + " is not running (left so by the test before): starting it");
                stack.docker(STEP, "start", stack.container("lb-" + n)).orFail();
            }
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> vipHolders().size() == 1 && keepalivedStatus(1).matches("(MASTER|BACKUP).*")
                        && keepalivedStatus(2).matches("(MASTER|BACKUP).*"));
        Set<Integer> holders = vipHolders();
        assertThat(holders).hasSize(1);
        int active = holders.iterator().next();
        int standby = 3 - active;
        assertThat(keepalivedStatus(standby)).as("the other node").startsWith("BACKUP");
        try (VipLoad load = new VipLoad(4, Duration.ofMinutes(2), 200_000)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.successes() >= 200);
            String victim = stack.container("lb-" + active + "-netns");
            long killedAt = System.nanoTime();
            stack.docker(STEP, "kill", victim).orFail();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> vipHolders().equals(Set.of(standby)));
            double movedAfter = (System.nanoTime() - killedAt) / 1e9;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> load.quietFor(Duration.ofSeconds(2)) && load.successesSince(killedAt) >= 100);
            VipLoad.Window w = load.windowSince(killedAt);
            progress(String.format("node loss: docker kill lb-%d-netns (held the VIP): the VIP is on lb-%d after %.1f s;"
                            + " failover window %.2f s, longest gap without a success %.2f s; %d of %d GETs failed %s",
                    active, standby, movedAfter, w.failingFor().toMillis() / 1e3, w.longestGap().toMillis() / 1e3,
                    w.failed(), w.total(), load.failureSamples()));
            assertThat(w.failingFor()).as("failover window").isLessThan(FAILOVER_GOAL);
            assertThat(w.longestGap()).as("longest gap without a success").isLessThan(FAILOVER_GOAL);
            assertThat(keepalivedStatus(standby)).startsWith("MASTER");
        }
    }

    @Test
    @Order(12)
    void killingThePrimaryPromotesTheReplicaLosesNoAcknowledgedWriteAndItsReturnMakesItAReplica() throws Exception {
        JsonNode before = failoverStatus();
        assertThat(before.path("state").asText()).isEqualTo("watching");
        assertThat(before.path("primary").asText()).as("the decider made mysql-primary the writer at the first start")
                .isEqualTo("mysql-primary");
        long productId = firstProductId(get("/api/products"));
        String victim = stack.container("mysql-primary");
        long killedAt;
        double promotedAfter;
        OrderStream writes = new OrderStream(productId, Duration.ofMinutes(3), 5_000);
        try (SteadyLoad reads = new SteadyLoad(2, Duration.ofMinutes(3), 100_000, () -> request("/api/products").GET().build(),
                siteClient()); writes) {
            await().atMost(Duration.ofSeconds(30)).until(() -> writes.acknowledged().size() >= 20 && reads.total() >= 100);
            killedAt = System.nanoTime();
            stack.docker(STEP, "kill", victim).orFail();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "down".equals(overviewStates().get("databases/mysql-primary")));
            progress(String.format("primary killed: the overview shows mysql-primary down %.1f s after docker kill",
                    (System.nanoTime() - killedAt) / 1e9));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> "mysql-replica".equals(failoverStatus().path("primary").asText())
                            && "watching".equals(failoverStatus().path("state").asText()));
            promotedAfter = (System.nanoTime() - killedAt) / 1e9;
            // Writes succeed again on the promoted node: a few in a row after the last refusal.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> writes.acknowledgedSince(killedAt) >= 10);
            reads.stop();
            writes.stop();
            OrderStream.Refusals r = writes.refusalsSince(killedAt);
            progress(String.format("primary killed: db-failover promoted mysql-replica %.1f s after docker kill;"
                            + " writes refused for %.2f s (first to last refusal), %d refused %s, %d acknowledged"
                            + " before and %d after; reads: %d GETs, %d failed %s",
                    promotedAfter, r.window().toMillis() / 1e3, r.count(), r.kinds(),
                    writes.acknowledged().size() - writes.acknowledgedSince(killedAt),
                    writes.acknowledgedSince(killedAt), reads.total(), reads.failures(), reads.failureSamples()));
            // The goals for this scenario are 0 failed reads and writes refused for at most 10 s. They are
            // printed above, not asserted: they are timings (failover_after 5 s, the 500 ms probes, then up to about
            // 3 s for the replica's I/O thread to give up a connect to the vanished address before STOP SLAVE
            // returns), and this runs on a shared 2-core machine. What is asserted is what must never happen: a write
            // answered otherwise than 503 with Retry-After, an acknowledged write lost, no promotion at all, and the
            // old primary taking writes or not coming back as a replica.
            // Every write that failed was answered 503 with Retry-After (or, once, a 502 for the write in flight
            // when the primary died); none hung, none got a 500.
            assertThat(r.kinds().keySet()).as("answers to refused writes").isSubsetOf("503 Retry-After", "502");
            assertThat(r.kinds().getOrDefault("502", 0)).as("writes in flight at the kill").isLessThanOrEqualTo(1);
        }
        // Every order acknowledged, before the kill and after the promotion, is on the new primary: read each one
        // back through the balancer (semi-sync: the replica had each before its client saw 201).
        List<Long> lost = new java.util.ArrayList<>();
        for (long id : writes.acknowledged()) {
            if (writes.read(request("/api/orders/" + id)).statusCode() != 200) {
                lost.add(id);
            }
        }
        progress("acknowledged orders read back after the promotion: " + writes.acknowledged().size()
                + ", missing " + lost.size());
        assertThat(lost).as("acknowledged orders missing after the promotion (semi-sync on)").isEmpty();

        // The old primary comes back: read-only from its start, checked for errant transactions, re-attached as a
        // replica of the new primary.
        long returnedAt = System.nanoTime();
        stack.docker(STEP, "start", victim).orFail();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> "replica".equals(failoverNode("mysql-primary").path("role").asText()));
        JsonNode back = failoverNode("mysql-primary");
        progress(String.format("old primary: started again, re-attached as a replica of mysql-replica %.1f s later;"
                        + " errant transactions %d; read_only %s",
                (System.nanoTime() - returnedAt) / 1e9, back.path("errant_transactions").asInt(),
                back.path("read_only").asText()));
        assertThat(back.path("errant_transactions").asInt()).isZero();
        assertThat(back.path("read_only").asBoolean()).isTrue();
        assertThat(back.path("replication").path("source_node").asText()).isEqualTo("mysql-replica");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> "healthy".equals(stack.inspect("mysql-primary", "{{.State.Health.Status}}")));
        // And writes keep working, now on mysql-replica.
        HttpResponse<String> placed = client.send(request("/api/orders").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"product_id\":" + productId + ",\"quantity\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    }

    @Test
    @Order(100)
    void downWithVolumesLeavesNothingOfTheProject() {
        stack.compose(STEP, ComposeStackTest::progress, "down", "-v", "--remove-orphans").orFail();
        assertThat(stack.leftovers()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Orders placed through the lb, one after the other, as one visitor (its cookie), until stopped; bounded in count
     * and time. Records what each client was told: the ids of those acknowledged (201), and for the others the
     * status (with whether a 503 carried Retry-After) and when.
     */
    private static final class OrderStream implements AutoCloseable {
        record Refusal(long at, String kind) {
        }

        /** Since a moment: first to last refusal, how many, by kind. */
        record Refusals(Duration window, int count, Map<String, Integer> kinds) {
        }

        private final HttpClient visitor = siteClient().cookieHandler(new CookieManager()).build();
        private final ExecutorService thread = Executors.newSingleThreadExecutor();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final java.util.concurrent.ConcurrentLinkedQueue<Long> acknowledged =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.util.concurrent.ConcurrentLinkedQueue<long[]> acknowledgedAt =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.util.concurrent.ConcurrentLinkedQueue<Refusal> refusals =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        OrderStream(long productId, Duration maxTime, int maxOrders) {
            long deadline = System.nanoTime() + maxTime.toNanos();
            String body = "{\"product_id\":" + productId + ",\"quantity\":1}";
            thread.submit(() -> {
                for (int i = 0; i < maxOrders && running.get() && System.nanoTime() < deadline; i++) {
                    String kind;
                    try {
                        HttpResponse<String> r = visitor.send(request("/api/orders")
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) {
                            long id = JSON.readTree(r.body()).path("id").asLong();
                            acknowledged.add(id);
                            acknowledgedAt.add(new long[] {System.nanoTime(), id});
                            kind = null;
                        } else if (r.statusCode() == 503) {
                            kind = r.headers().firstValue("Retry-After").isPresent() ? "503 Retry-After" : "503";
                        } else {
                            kind = Integer.toString(r.statusCode());
                        }
                    } catch (IOException e) {
                        kind = e.getClass().getSimpleName();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (kind != null) {
                        refusals.add(new Refusal(System.nanoTime(), kind));
                    }
                    // A shop's pace, not a flood: the point is what each write was told.
                    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                }
            });
        }

        List<Long> acknowledged() {
            return List.copyOf(acknowledged);
        }

        long acknowledgedSince(long since) {
            return acknowledgedAt.stream().filter(a -> a[0] >= since).count();
        }

        Refusals refusalsSince(long since) {
            List<Refusal> after = refusals.stream().filter(r -> r.at() >= since).toList();
            Map<String, Integer> kinds = new TreeMap<>();
            after.forEach(r -> kinds.merge(r.kind(), 1, Integer::sum));
            Duration window = after.isEmpty() ? Duration.ZERO
                    : Duration.ofNanos(after.get(after.size() - 1).at() - after.get(0).at());
            return new Refusals(window, after.size(), kinds);
        }

        /** A GET as this visitor (orders are the visitor's own). */
        HttpResponse<String> read(HttpRequest.Builder request) throws IOException, InterruptedException {
            return visitor.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            thread.shutdown();
            assertThat(thread.awaitTermination(30, TimeUnit.SECONDS)).as("the order stream stopped").isTrue();
        }
    }

    /** db-failover's /api/status, through the port compose publishes on the host's loopback. */
    private static JsonNode failoverStatus() throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + failoverPort + "/api/status")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** Each component on the overview page as "tier/name" -> its state. */
    private static Map<String, String> overviewStates() throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + overviewPort
                + "/api/overview")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode doc = JSON.readTree(r.body());
        Map<String, String> states = new java.util.TreeMap<>();
        for (String tier : List.of("balancers", "webs", "databases")) {
            doc.path(tier).forEach(c -> states.put(tier + "/" + c.path("name").asText(), c.path("state").asText()));
        }
        return states;
    }

    private static JsonNode failoverNode(String name) throws IOException, InterruptedException {
        for (JsonNode n : failoverStatus().path("nodes")) {
            if (n.path("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("db-failover does not list " + name);
    }

    /**
     * GETs /api/products from the host to the VIP (through the front bridge, as a Linux client of the pair would)
     * from a few threads over keep-alive connections, each outcome timestamped, until stopped; bounded in count and
     * time. A request has 1 s to connect and 2 s in all, and counts as failed past that, so that a request stuck on
     * a dead connection shows in the window instead of hiding it.
     */
    private static final class VipLoad extends BoundedLoad {
        record Outcome(long at, boolean ok) {
        }

        /** Since a moment: time from the first to the last failed request, the longest time without a success. */
        record Window(Duration failingFor, Duration longestGap, int failed, int total) {
        }

        private final java.util.concurrent.ConcurrentLinkedQueue<Outcome> outcomes =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final AtomicLong attempts = new AtomicLong();
        private final AtomicLong successes = new AtomicLong();
        private final AtomicLong lastFailureAt = new AtomicLong(Long.MIN_VALUE);

        VipLoad(int concurrency, Duration maxTime, long maxRequests) {
            super(concurrency);
            long deadline = System.nanoTime() + maxTime.toNanos();
            // HTTPS to the VIP by address, the certificate checked for www.foobar.com (SiteTrust): a connection
            // costs a handshake, and a failover window includes it, as for any real client.
            HttpClient vipClient = siteClient().connectTimeout(Duration.ofSeconds(1)).build();
            URI uri = URI.create("https://" + VIP + ":" + VIP_HTTPS_PORT + "/api/products");
            for (int i = 0; i < concurrency; i++) {
                threads.submit(() -> {
                    // A counter, not outcomes.size(): that walks the whole queue, and while the VIP refuses
                    // connections four threads doing so per attempt starved keepalived on two cores (CI saw the
                    // VIP move after 6 s instead of 2).
                    while (running() && System.nanoTime() < deadline && attempts.getAndIncrement() < maxRequests) {
                        boolean ok;
                        try {
                            HttpResponse<String> r = vipClient.send(HttpRequest.newBuilder(uri).header("Host", HOST)
                                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                            ok = r.statusCode() == 200;
                            if (!ok) {
                                failed(r.statusCode() + " " + r.body().lines().findFirst().orElse(""));
                            }
                        } catch (IOException e) {
                            ok = false;
                            failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                        } catch (InterruptedException e) {
                            return;
                        }
                        long at = System.nanoTime();
                        outcomes.add(new Outcome(at, ok));
                        if (ok) {
                            successes.incrementAndGet();
                        } else {
                            lastFailureAt.set(at);
                            // A refused connection fails in microseconds: without a pause the load would be a busy
                            // loop competing with the failover it measures. 10 ms keeps the window's resolution.
                            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
                        }
                    }
                });
            }
        }

        long successes() {
            return successes.get();
        }

        long successesSince(long since) {
            return outcomes.stream().filter(o -> o.ok() && o.at() >= since).count();
        }

        /** No failed request in the last {@code quiet}. */
        boolean quietFor(Duration quiet) {
            long last = lastFailureAt.get();
            return last == Long.MIN_VALUE || System.nanoTime() - last > quiet.toNanos();
        }

        Window windowSince(long since) {
            List<Outcome> all = new java.util.ArrayList<>(outcomes);
            all.sort(java.util.Comparator.comparingLong(Outcome::at));
            long lastOk = since;
            long firstFail = 0;
            long lastFail = 0;
            long gap = 0;
            int failed = 0;
            int total = 0;
            for (Outcome o : all) {
                if (o.at() < since) {
                    if (o.ok()) {
                        lastOk = o.at();
                    }
                    continue;
                }
                total++;
                if (o.ok()) {
                    gap = Math.max(gap, o.at() - lastOk);
                    lastOk = o.at();
                } else {
                    if (failed++ == 0) {
                        firstFail = o.at();
                    }
                    lastFail = o.at();
                }
            }
            return new Window(Duration.ofNanos(lastFail - firstFail), Duration.ofNanos(gap), failed, total);
        }

    }

    /** The balancer nodes (1, 2) whose network namespace holds the VIP, by `ip addr` inside it. */
    private static Set<Integer> vipHolders() {
        Set<Integer> out = new java.util.TreeSet<>();
        for (int n = 1; n <= 2; n++) {
            Cli.Result addresses = stack.docker(STEP, "exec", KEEPALIVED.get(n),
                    "ip", "-4", "-o", "addr", "show");
            if (addresses.ok() && addresses.output().contains(" inet " + VIP + "/")) {
                out.add(n);
            }
        }
        return out;
    }

    /** What keepalived-N says of itself: MASTER, BACKUP or FAULT, and why (the healthcheck's command). */
    private static String keepalivedStatus(int n) {
        return stack.docker(STEP, "exec", KEEPALIVED.get(n), "foobar-keepalived", "status")
                .output().strip();
    }

    /** curl on the host to the VIP's HTTPS listener, with www.foobar.com resolved to the VIP. */
    private static String curlHttpsVip(Path ca, String path) {
        return new Cli(StackFiles.DOCKER, Map.of()).run(STEP, "curl", "-sS", "--max-time", "20", "-D", "-",
                "--cacert", ca.toString(), "--resolve", HOST + ":" + VIP_HTTPS_PORT + ":" + VIP,
                "https://" + HOST + ":" + VIP_HTTPS_PORT + path).orFail();
    }

    /** Exit status of a TCP connect from inside a service's container (bash's /dev/tcp): 0 connected. */
    private static int tcpConnect(String fromService, String address, int port) {
        return stack.docker(STEP, "exec", stack.container(fromService), "timeout", "5", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + port).exitCode();
    }

    private static Set<String> serversUp() throws IOException, InterruptedException {
        HttpResponse<String> status = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPort + "/api/status")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        Set<String> up = new HashSet<>();
        for (JsonNode pool : JSON.readTree(status.body()).path("pools")) {
            for (JsonNode server : pool.path("servers")) {
                if (server.path("state").asText().equals("up")) {
                    up.add(server.path("name").asText());
                }
            }
        }
        return up;
    }

    /** The collector's answer to an instant query, as "label1/label2" -> value. */
    private static Map<String, String> promSeries(String query, String... labels)
            throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, String> out = new TreeMap<>();
        for (JsonNode series : JSON.readTree(r.body()).path("data").path("result")) {
            List<String> key = new java.util.ArrayList<>();
            for (String label : labels) {
                key.add(series.path("metric").path(label).asText());
            }
            out.put(String.join("/", key), series.path("value").path(1).asText());
        }
        return out;
    }

    /** curl on the host, as the README shows it: the lb's CA trusted, www.foobar.com resolved to the HTTPS port. */
    private static String curlHttps(Path ca, Path cookies, String path, String... extra) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-D", "-",
                "--cacert", ca.toString(), "--resolve", HOST + ":" + httpsPort + ":127.0.0.1",
                "-c", cookies.toString(), "-b", cookies.toString()));
        command.addAll(List.of(extra));
        command.add("https://" + HOST + ":" + httpsPort + path);
        return new Cli(StackFiles.DOCKER, Map.of()).run(STEP, command).orFail();
    }

    /** The body of `curl -D -` output (Cli gives lines ended by \n alone). */
    private static String body(String curlOutput) {
        int blank = curlOutput.indexOf("\n\n");
        assertThat(blank).as("headers and body: %s", curlOutput).isPositive();
        return curlOutput.substring(blank + 2);
    }

    private static long firstProductId(HttpResponse<String> products) throws IOException {
        assertThat(products.statusCode()).isEqualTo(200);
        JsonNode items = JSON.readTree(products.body()).path("items");
        assertThat(items.size()).as("seeded products").isPositive();
        return items.get(0).path("id").asLong();
    }

    private static Set<Long> orderIds(String body) throws IOException {
        Set<Long> ids = new HashSet<>();
        JSON.readTree(body).path("orders").forEach(o -> ids.add(o.path("id").asLong()));
        return ids;
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A client of the site from the host: HTTPS with the balancers' CA trusted for www.foobar.com, HTTP/1.1 so that
     * the Host header below is what the balancer routes on.
     */
    private static HttpClient.Builder siteClient() {
        return HttpClient.newBuilder().sslContext(siteTrust).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
    }

    private static HttpRequest.Builder request(String path) {
        // As `curl --resolve www.foobar.com:443:127.0.0.1 https://www.foobar.com/` on the published HTTPS port. The JDK
        // client sends a Host header only with jdk.httpclient.allowRestrictedHeaders=host, which the module's
        // Surefire configuration sets.
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort + path))
                .header("Host", HOST)
                .timeout(Duration.ofSeconds(10));
    }

    private static void progress(String line) {
        System.out.println("[compose] " + line);
    }
}
