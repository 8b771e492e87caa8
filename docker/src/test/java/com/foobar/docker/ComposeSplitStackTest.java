package com.foobar.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The split topology for real: compose.yaml with compose.split.yaml (and, without a registry, compose.local.yaml and
 * the stand-ins; see {@link ComposeStack}), checked through the published port and the docker CLI: static files come
 * from nginx-N and pages from web-N; web-1 refuses a balancer and a stranger on app while nginx-1 serves them; nginx-1
 * killed under a steady load of pages and static files costs no GET, and started again it takes traffic again;
 * {@code down -v} leaves nothing. Skipped, or failed under {@code FOOBAR_COMPOSE_REQUIRED=1}, as ComposeStackTest.
 * Its own project and networks (10.213.12-14), so it runs next to a stack a developer left up.
 */
class ComposeSplitStackTest {
    private static final String PROJECT = ComposeStack.setting("FOOBAR_COMPOSE_SPLIT_PROJECT", "foobar-split-test");
    private static final String APP_NET = ComposeStack.setting("FOOBAR_COMPOSE_SPLIT_APP_NET", "10.213.12");
    private static final String FRONT_NET = ComposeStack.setting("FOOBAR_COMPOSE_SPLIT_FRONT_NET", "10.213.13");
    private static final String DB_NET = ComposeStack.setting("FOOBAR_COMPOSE_SPLIT_DB_NET", "10.213.14");
    private static final Duration UP = Duration.ofMinutes(20);
    private static final Duration STEP = Duration.ofMinutes(2);
    private static final String HOST = "www.foobar.com";

    private static ComposeStack stack;
    private static int httpsPort;
    private static HttpClient client;
    /** The balancers' CA, trusted for www.foobar.com (port 80 only redirects: the site is HTTPS). */
    private static javax.net.ssl.SSLContext siteTrust;

    private static void progress(String line) {
        System.out.println("[compose-split] " + line);
    }

    @BeforeAll
    static void up() throws Exception {
        httpsPort = ComposeStack.freePort();
        Map<String, String> variables = new HashMap<>(Map.of(
                "LB_HTTP_ADDRESS", "127.0.0.1",
                "LB_HTTP_PORT", Integer.toString(ComposeStack.freePort()),
                "LB_HTTPS_PORT", Integer.toString(httpsPort),
                "LB_ADMIN_PORT", Integer.toString(ComposeStack.freePort()),
                "LB2_ADMIN_PORT", Integer.toString(ComposeStack.freePort()),
                "PROMETHEUS_PORT", Integer.toString(ComposeStack.freePort()),
                "GRAFANA_PORT", Integer.toString(ComposeStack.freePort()),
                "FOOBAR_APP_NET", APP_NET,
                "FOOBAR_FRONT_NET", FRONT_NET,
                "FOOBAR_DB_NET", DB_NET));
        variables.put("FOOBAR_FAILOVER_PORT", Integer.toString(ComposeStack.freePort()));
        variables.put("OVERVIEW_PORT", Integer.toString(ComposeStack.freePort()));
        variables.put("LOGS_SYSLOG_PORT", Integer.toString(ComposeStack.freePort()));
        ComposeStack.Preparation prep = ComposeStack.prepare(PROJECT, variables, ComposeSplitStackTest::progress,
                List.of("compose.split.yaml"));
        if (prep.unavailable() != null) {
            if ("1".equals(System.getenv("FOOBAR_COMPOSE_REQUIRED"))) {
                throw new AssertionError("FOOBAR_COMPOSE_REQUIRED=1, but the compose stack cannot run here: "
                        + prep.unavailable());
            }
            Assumptions.abort(prep.unavailable());
        }
        stack = prep.stack();
        stack.compose(STEP, "down", "-v", "--remove-orphans");
        long started = System.nanoTime();
        stack.compose(UP, ComposeSplitStackTest::progress, "up", "-d", "--build").orFail();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            for (String service : List.of("nginx-1", "nginx-2", "lb-1", "lb-2")) {
                assertThat(stack.inspect(service, "{{.State.Health.Status}}")).as(service).isEqualTo("healthy");
            }
        });
        progress(String.format("up and healthy in %.1f s (images: %s)", (System.nanoTime() - started) / 1e9,
                stack.mode()));
        java.nio.file.Path ca = java.nio.file.Files.createTempFile("compose-split-ca", ".pem");
        stack.docker(STEP, "cp", stack.container("lb-1") + ":/var/lib/foobar/balancer/tls/ca.pem", ca.toString())
                .orFail();
        siteTrust = SiteTrust.forSite(ca, HOST);
        client = siteClient().build();
    }

    private static HttpClient.Builder siteClient() {
        return HttpClient.newBuilder().sslContext(siteTrust).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.compose(STEP, "down", "-v", "--remove-orphans");
            assertThat(stack.leftovers()).as("containers, networks and volumes of %s after down -v", PROJECT).isEmpty();
        }
    }

    @Test
    void nginxServesTheStaticFilesWebServersOnlyTheirNginxAndAKilledNginxCostsNoRequest() throws Exception {
        // Static files from both nginx servers, pages from both web servers, all through lb-1's published port.
        Set<String> staticBy = new HashSet<>();
        Set<String> pagesBy = new HashSet<>();
        // One kind after the other: alternated, round-robin would give every static file to one server.
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> css = get("/static/style.css");
            assertThat(css.statusCode()).isEqualTo(200);
            assertThat(css.headers().firstValue("Server")).hasValue("nginx");
            assertThat(css.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
            staticBy.add(css.headers().firstValue("X-Served-By").orElse("none"));
        }
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> page = get("/api/products");
            assertThat(page.statusCode()).isEqualTo(200);
            pagesBy.add(page.headers().firstValue("X-Served-By").orElse("none"));
        }
        assertThat(staticBy).containsExactlyInAnyOrder("nginx-1", "nginx-2");
        assertThat(pagesBy).containsExactlyInAnyOrder("web-1", "web-2");

        // web-1 takes requests from nginx-1 only: a balancer asking it directly gets 403, and so does a stranger on
        // app, to whom nginx-1 answers.
        String fromLb = stack.compose(STEP, "exec", "-T", "lb-1", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "http://web-1:8080/api/products").output().strip();
        assertThat(fromLb).as("lb-1 straight to web-1").isEqualTo("403");
        String stranger = stack.docker(STEP, "run", "--rm", "--network", stack.network("app"), "--entrypoint", "sh",
                "foobar/webapp:latest", "-c", "curl -s -o /dev/null -w 'web-1=%{http_code}\\n' http://web-1:8080/api/products;"
                        + " curl -s -o /dev/null -w 'nginx-1=%{http_code}\\n' http://nginx-1:8080/static/style.css").orFail();
        assertThat(stranger).contains("web-1=403").contains("nginx-1=200");

        // nginx-1 killed under a steady load of pages and static files: the balancers retry on nginx-2.
        // Pages or static files at random: a strict alternation would meet round-robin in step.
        try (SteadyLoad load = new SteadyLoad(4, Duration.ofMinutes(3), 100_000, () -> request(
                ThreadLocalRandom.current().nextBoolean() ? "/api/products" : "/static/app.js").GET().build(),
                siteClient())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.servedBy("nginx-1") >= 20
                    && load.servedBy("web-1") >= 20);
            stack.docker(STEP, "kill", stack.container("nginx-1")).orFail();
            long killedAt = load.total();
            await().atMost(Duration.ofSeconds(30)).until(() -> load.total() >= killedAt + 200);
            // `docker kill` is a stop on purpose for the restart policy: start it again, as an operator would.
            stack.docker(STEP, "start", stack.container("nginx-1")).orFail();
            long before = load.servedBy("nginx-1");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> load.servedBy("nginx-1") > before);
            load.stop();
            progress("steady load: " + load.total() + " GETs, " + load.failures() + " failed "
                    + load.failureSamples() + " while nginx-1 was killed and started again");
            assertThat(load.failures()).as("failed GETs: %s", load.failureSamples()).isZero();
        }
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort + path)).header("Host", HOST)
                .timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
