package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foobar.devdb.DevDb;
import com.foobar.devdb.DevDbOptions;
import com.foobar.webapp.WebAppConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web container without the container: the jar the image copies (webapp/target/webapp-slim.jar), run as its own
 * process with the image's ENTRYPOINT flags and web-1's environment from compose.yaml, against a real replicated pair
 * from devdb that has the database, user and password the MySQL services create. Only addresses move: the server
 * binds 127.0.0.1 on a free port, and the JDBC URLs keep compose's database but point at devdb's nodes.
 *
 * Then the paths compose and the image probe (/ready, /health) and Prometheus scrapes (/metrics) must answer, and
 * every webapp_*, db_router_* and hikaricp_* series the dashboard and the alerts query must be exposed. The
 * environment keeps web-1's FOOBAR_TRUSTED_PROXIES, whose 127.0.0.1/32 (for the healthcheck) lets this test in, while a
 * peer on another loopback address stands for any other container on app and is refused.
 */
class WebAppImageLiveTest {
    private static final ComposeFile COMPOSE = ComposeFile.load(StackFiles.COMPOSE);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = StackFiles.ROOT.resolve("webapp/target/webapp-slim.jar");
    private static final Path LOG = StackFiles.DOCKER.resolve("target/webapp-image-live.log");
    private static final Pattern ENTRYPOINT = Pattern.compile("ENTRYPOINT \\[(\"java\".*\"/app/webapp\\.jar\")]");
    private static final Pattern SERIES_LINE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
    private static final Pattern QUERIED_SERIES = Pattern.compile("\\b((?:webapp|db_router|hikaricp)_[a-z0-9_]+)\\b");

    private static DevDb db;
    private static Process web;
    private static int port;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        assertThat(JAR).as("built by the webapp module's package phase").exists();
        Map<String, String> mysql = COMPOSE.environment("mysql-primary");
        db = DevDb.start(DevDbOptions.builder()
                .database(mysql.get("MYSQL_DATABASE"))
                .user(mysql.get("MYSQL_USER"))
                .password(mysql.get("MYSQL_PASSWORD"))
                .build());

        Map<String, String> env = new HashMap<>(COMPOSE.environment("web-1"));
        port = freePort();
        env.put("FOOBAR_BIND", "127.0.0.1");
        env.put("FOOBAR_PORT", Integer.toString(port));
        env.put("FOOBAR_DB_PRIMARY", retarget(env.get("FOOBAR_DB_PRIMARY"), db.primary().jdbcUrl()));
        env.put("FOOBAR_DB_REPLICAS", retarget(env.get("FOOBAR_DB_REPLICAS"), db.replicas().get(0).jdbcUrl()));

        List<String> command = new ArrayList<>(entrypoint());
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.set(command.size() - 1, JAR.toString());
        Files.createDirectories(LOG.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(LOG.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FOOBAR_"));
        pb.environment().putAll(env);
        web = pb.start();

        client = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!web.isAlive()) {
                throw new AssertionError("the webapp exited with " + web.exitValue() + ":\n" + Files.readString(LOG));
            }
            try {
                return get(WebAppContract.READY).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (web != null) {
            web.destroy();
            if (!web.waitFor(20, TimeUnit.SECONDS)) {
                web.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void answersTheReadinessAndLivenessPathsComposeAndTheImageProbe() throws Exception {
        assertThat(COMPOSE.healthcheckCommand("web-1")).contains(WebAppContract.READY);
        assertThat(get(WebAppContract.READY).statusCode()).isEqualTo(200);
        assertThat(get(WebAppContract.HEALTH).statusCode()).isEqualTo(200);
        assertThat(get("/").headers().firstValue("X-Served-By")).contains("web-1");
    }

    @Test
    void servesPrometheusOnTheScrapedPathWithEverySeriesTheDashboardAndAlertsQuery() throws Exception {
        // Use the shop once, reading and writing, so that meters created on first use exist too.
        HttpResponse<String> products = get("/api/products");
        assertThat(products.statusCode()).isEqualTo(200);
        long productId = JSON.readTree(products.body()).path("items").get(0).path("id").asLong();
        HttpResponse<String> placed = client.send(HttpRequest.newBuilder(uri("/api/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"product_id\":" + productId + ",\"quantity\":1}"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        JsonNode orders = JSON.readTree(get("/api/orders").body()).path("orders");
        assertThat(orders.size()).isPositive();

        HttpResponse<String> metrics = get(WebAppContract.METRICS);
        assertThat(metrics.statusCode()).isEqualTo(200);
        Set<String> exposed = new TreeSet<>();
        Matcher m = SERIES_LINE.matcher(metrics.body());
        while (m.find()) {
            exposed.add(m.group(1));
        }
        Set<String> queried = new TreeSet<>();
        for (String expr : MonitoringContractTest.queries().values()) {
            Matcher d = QUERIED_SERIES.matcher(expr);
            while (d.find()) {
                queried.add(d.group(1));
            }
        }
        assertThat(queried).as("the dashboard shows the web and database tiers").isNotEmpty();
        assertThat(exposed).containsAll(queried);
    }

    @Test
    void refusesEveryPeerOutsideTheComposeTrustedListExceptLoopbackOnHealth() throws Exception {
        // 127.0.0.2 is a loopback address, but not the 127.0.0.1 of the healthcheck that web-1's
        // FOOBAR_TRUSTED_PROXIES names: to the gate it is a stranger, as any other container on app would be.
        InetAddress stranger = InetAddress.getByName("127.0.0.2");
        List<String> balancers = List.of(COMPOSE.ipv4AddressOn("lb-1", "app"), COMPOSE.ipv4AddressOn("lb-2", "app"));
        assertThat(WebAppConfig.fromArgs(new String[0], COMPOSE.environment("web-1")).trustedProxies()
                .contains(stranger)).as("127.0.0.2 is outside web-1's FOOBAR_TRUSTED_PROXIES").isFalse();
        for (String path : List.of("/", "/api/products", WebAppContract.READY, WebAppContract.METRICS)) {
            RawResponse refused = rawGet(stranger, path, List.of());
            assertThat(refused.status()).as("GET %s from %s", path, stranger.getHostAddress()).isEqualTo(403);
            assertThat(refused.body()).as("a one-line reason").startsWith("forbidden: ").endsWith("\n")
                    .hasLineCount(1);
        }
        // Naming a balancer in X-Forwarded-For does not make a stranger a balancer: the gate looks at the TCP peer.
        for (String lb : balancers) {
            assertThat(rawGet(stranger, "/", List.of("X-Forwarded-For: " + lb)).status()).as("XFF %s", lb)
                    .isEqualTo(403);
        }
        // Liveness stays open to local probes (the image's own HEALTHCHECK), from any loopback address.
        assertThat(rawGet(stranger, WebAppContract.HEALTH, List.of()).status()).isEqualTo(200);
    }

    /** One request over a plain socket whose source address is {@code from}, read to the close. */
    private static RawResponse rawGet(InetAddress from, String path, List<String> headers) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: www.foobar.com\r\n");
            headers.forEach(h -> request.append(h).append("\r\n"));
            request.append("Connection: close\r\n\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            assertThat(headEnd).as("a complete response head: %s", response).isPositive();
            String[] statusLine = response.substring(0, response.indexOf("\r\n")).split(" ", 3);
            return new RawResponse(Integer.parseInt(statusLine[1]), response.substring(headEnd + 4));
        }
    }

    private record RawResponse(int status, String body) {
    }

    /** The image's ENTRYPOINT, from the webapp target of docker/Dockerfile. */
    private static List<String> entrypoint() {
        Matcher m = ENTRYPOINT.matcher(StackFiles.read(StackFiles.DOCKERFILE));
        assertThat(m.find()).as("the webapp target's ENTRYPOINT").isTrue();
        List<String> out = new ArrayList<>();
        for (String part : m.group(1).split(",")) {
            out.add(part.trim().replaceAll("^\"|\"$", ""));
        }
        return out;
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Compose's URL (its database) at devdb's address, with devdb's connection parameters. */
    static String retarget(String composeUrl, String devdbUrl) {
        URI compose = URI.create(composeUrl.substring("jdbc:".length()));
        URI local = URI.create(devdbUrl.substring("jdbc:".length()));
        String query = local.getRawQuery() == null ? "" : "?" + local.getRawQuery();
        return "jdbc:" + compose.getScheme() + "://" + local.getHost() + ":" + local.getPort() + compose.getRawPath() + query;
    }
}
