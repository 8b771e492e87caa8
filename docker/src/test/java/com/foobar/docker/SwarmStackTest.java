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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docker/swarm.yaml deployed for real with {@code docker stack deploy} on a single-node swarm (initialised by the test
 * when the engine is in none, and left again afterwards; an engine already in a swarm keeps it), with the images
 * {@link ComposeStack} prepares (built by compose, or the Debian stand-ins on a machine with no registry), then, under
 * a steady GET load from the host through the balancer's host-mode published port:
 * <ul>
 *   <li>the shop answers from both web replicas, which the balancer found through {@code tasks.web}; the web servers
 *       refuse a peer that is not on the app overlay, and no container can attach to it;</li>
 *   <li>{@code docker service scale web=4}: within 15 s of the new tasks running, the balancer's /api/status lists four
 *       servers up, each with requests;</li>
 *   <li>a rolling update of web ({@code docker service update --force}, start-first): 0 failed GETs, and the
 *       balancer ends with four new servers;</li>
 *   <li>{@code docker service scale web=2}: 0 failed GETs, two servers left.</li>
 * </ul>
 * The figures (requests, failures, times) are printed as {@code [swarm]} lines; {@code docker stack rm} and the
 * stack's volumes are removed at the end. Skipped with the reason where Docker, compose or the images are not there,
 * or the engine is a swarm worker; {@code FOOBAR_COMPOSE_REQUIRED=1} makes that a failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmStackTest {
    private static final String STACK = ComposeStack.setting("FOOBAR_SWARM_STACK", "foobar-swarm-test");
    /** Not the default 10.213.17, so that a stack a developer deployed keeps its network. */
    private static final String APP_NET = ComposeStack.setting("FOOBAR_SWARM_TEST_APP_NET", "10.213.18");
    private static final Duration STEP = Duration.ofMinutes(2);
    private static final Duration BUILD = Duration.ofMinutes(20);
    /** The goal of issue 17: new replicas get traffic within this. */
    private static final Duration NEW_REPLICAS_GOAL = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST = "www.foobar.com";

    private static ComposeStack images;
    private static final String GWBRIDGE = "docker_gwbridge";
    private static boolean initialisedSwarm;
    private static boolean gwbridgeExisted;
    private static boolean deployed;
    private static int httpPort;
    private static HttpClient client;
    private static SteadyLoad load;

    @BeforeAll
    static void deploy() throws IOException {
        httpPort = ComposeStack.freePort();
        Map<String, String> variables = new HashMap<>(Map.of(
                "FOOBAR_SWARM_HTTP_PORT", Integer.toString(httpPort),
                "FOOBAR_SWARM_HTTPS_PORT", Integer.toString(ComposeStack.freePort()),
                "FOOBAR_SWARM_APP_NET", APP_NET));
        ComposeStack.Preparation prep = ComposeStack.prepare(STACK, variables, SwarmStackTest::progress);
        String unavailable = prep.unavailable();
        if (unavailable == null) {
            images = prep.stack();
            unavailable = swarmUnavailable();
        }
        if (unavailable != null) {
            if ("1".equals(System.getenv("FOOBAR_COMPOSE_REQUIRED"))) {
                throw new AssertionError("FOOBAR_COMPOSE_REQUIRED=1, but the swarm stack cannot run here: "
                        + unavailable);
            }
            Assumptions.abort(unavailable);
        }
        long started = System.nanoTime();
        progress("images: " + images.mode() + "; building the balancer, webapp and db-failover images");
        images.compose(BUILD, SwarmStackTest::progress, "build", "lb-1", "web-1", "db-failover").orFail();
        removeStack(); // a run killed half-way leaves its stack behind
        String dbImage = images.mode().equals("local") ? "foobar-local/mariadb:bookworm" : "mariadb:11.4";
        if (!docker("image", "inspect", dbImage).ok()) {
            docker("pull", dbImage).orFail();
        }
        deployed = true;
        progress("docker stack deploy -c swarm.yaml " + STACK + " (web: 2 replicas behind tasks.web)");
        // FOOBAR_DB_IMAGE through the environment of the deploy, as a user would export it.
        images.docker(STEP, Map.of("FOOBAR_DB_IMAGE", dbImage), "stack", "deploy", "-c", "swarm.yaml", STACK)
                .orFail();
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(replicas()).as("services running/desired").containsEntry("balancer", "1/1")
                    .containsEntry("web", "2/2").containsEntry("mysql-primary", "1/1")
                    .containsEntry("mysql-replica", "1/1").containsEntry("db-failover", "1/1");
            assertThat(serversUp()).hasSize(2);
        });
        progress(String.format("deployed and healthy in %.1f s", (System.nanoTime() - started) / 1e9));
    }

    @AfterAll
    static void remove() {
        if (load != null) {
            try {
                load.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (deployed) {
            removeStack();
        }
        if (initialisedSwarm) {
            progress("leaving the swarm this test initialised");
            docker("swarm", "leave", "--force").orFail();
            if (!gwbridgeExisted) {
                docker("network", "rm", GWBRIDGE).orFail();
            }
        }
    }

    /** Null when this engine is (or, initialised by the test, now is) a swarm manager; else why it cannot be. */
    private static String swarmUnavailable() {
        String state = docker("info", "-f", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}").orFail();
        if (state.equals("inactive false")) {
            // Joining a swarm makes docker_gwbridge (the tasks' way out), which leaving does not remove.
            gwbridgeExisted = docker("network", "inspect", GWBRIDGE).ok();
            Cli.Result init = docker("swarm", "init");
            if (!init.ok()) {
                // Several addresses and none chosen: a single node needs no address others can reach.
                init = docker("swarm", "init", "--advertise-addr", "127.0.0.1");
            }
            if (!init.ok()) {
                return "docker swarm init failed: " + ComposeStack.firstLine(init.output());
            }
            initialisedSwarm = true;
            progress("docker swarm init (a single node); the test leaves the swarm again at the end");
            return null;
        }
        return state.equals("active true") ? null
                : "the Docker engine is in a swarm it cannot deploy to (state, manager: " + state + ")";
    }

    @Test
    @Order(1)
    void servesTheShopFromBothReplicasTheBalancerFoundInDns() throws Exception {
        Set<String> servedBy = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = client.send(request("/api/products"), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            servedBy.add(r.headers().firstValue("X-Served-By").orElse("none"));
        }
        assertThat(servedBy).containsExactlyInAnyOrder("web-1", "web-2");
        JsonNode pool = status().path("pools").get(0);
        assertThat(pool.path("discover").asText()).isEqualTo("tasks.web:8080");
        for (JsonNode s : pool.path("servers")) {
            assertThat(s.path("address").asText()).as("a task's address on the app overlay")
                    .startsWith(APP_NET + ".").endsWith(":8080");
        }
    }

    @Test
    @Order(2)
    void theWebServersRefuseAPeerOffTheAppOverlayAndNoContainerCanJoinIt() {
        // db-failover shares the db overlay with the web tasks, not app: tasks.web there gives their db addresses.
        String out = docker("exec", container("db-failover"), "curl", "-sS", "--max-time", "10", "-w",
                "\nstatus=%{http_code}\n", "http://tasks.web:8080/api/products").orFail();
        assertThat(out).contains("status=403")
                .contains("forbidden: this server only accepts requests through its load balancer");
        Cli.Result attach = docker("run", "--rm", "--network", STACK + "_app", "--entrypoint", "true",
                "foobar/webapp:latest");
        assertThat(attach.ok()).as("docker run --network %s_app: %s", STACK, attach.output()).isFalse();
        assertThat(attach.output()).contains("attach");
    }

    @Test
    @Order(3)
    void scalingWebToFourGetsTheNewReplicasTrafficWithinFifteenSeconds() throws Exception {
        load = new SteadyLoad(3, Duration.ofMinutes(5), 300_000, () -> request("/api/products"));
        await().atMost(Duration.ofSeconds(30)).until(() -> load.servedBy("web-1") >= 20 && load.servedBy("web-2") >= 20);
        long t0 = System.nanoTime();
        docker("service", "scale", "--detach", STACK + "_web=4").orFail();
        long[] running = {0};
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (running[0] == 0 && "4/4".equals(replicas().get("web"))) {
                running[0] = System.nanoTime();
            }
            return running[0] != 0 && allServedWithRequests(4);
        });
        long traffic = System.nanoTime();
        double untilRunning = (running[0] - t0) / 1e9;
        double untilTraffic = (traffic - t0) / 1e9;
        double afterRunning = (traffic - running[0]) / 1e9;
        progress(String.format("scale web=4: new tasks running (healthy) %.1f s after the command; all four servers"
                + " up with requests %.1f s after it, %.1f s after the tasks ran", untilRunning, untilTraffic,
                afterRunning));
        progress("served by " + servedByAll() + "; " + load.total() + " GETs so far, " + load.failures() + " failed");
        assertThat(Duration.ofNanos(traffic - running[0])).as("new replicas get traffic within 15 s")
                .isLessThanOrEqualTo(NEW_REPLICAS_GOAL);
        assertThat(load.failures()).as("failed GETs while scaling out: %s", load.failureSamples()).isZero();
    }

    @Test
    @Order(4)
    void aRollingUpdateOfWebFailsNoGet() throws Exception {
        assertThat(load).as("the load started by the scale-out").isNotNull();
        Set<String> before = serverNames();
        long requestsBefore = load.total();
        int failedBefore = load.failures();
        long t0 = System.nanoTime();
        images.docker(Duration.ofMinutes(6), "service", "update", "--force", "--detach=false", "--quiet",
                STACK + "_web").orFail();
        double took = (System.nanoTime() - t0) / 1e9;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Set<String> now = serverNames();
            now.retainAll(before);
            return now.isEmpty() && allServedWithRequests(4);
        });
        long requests = load.total() - requestsBefore;
        int failed = load.failures() - failedBefore;
        progress(String.format("rolling update (start-first, 4 replicas): %.1f s; %d GETs during it, %d failed %s;"
                + " the balancer now has %s", took, requests, failed, load.failureSamples(), serverNames()));
        assertThat(failed).as("failed GETs during the rolling update: %s", load.failureSamples()).isZero();
    }

    @Test
    @Order(5)
    void scalingBackToTwoFailsNoGet() throws Exception {
        assertThat(load).as("the load started by the scale-out").isNotNull();
        long requestsBefore = load.total();
        int failedBefore = load.failures();
        long t0 = System.nanoTime();
        docker("service", "scale", "--detach", STACK + "_web=2").orFail();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> "2/2".equals(replicas().get("web")) && serverNames().size() == 2);
        double took = (System.nanoTime() - t0) / 1e9;
        // A while longer on two, so that a late failure from the stopped tasks would show.
        long settled = load.total();
        await().atMost(Duration.ofSeconds(30)).until(() -> load.total() >= settled + 200);
        load.stop();
        long requests = load.total() - requestsBefore;
        int failed = load.failures() - failedBefore;
        progress(String.format("scale web=2: the balancer down to two servers %.1f s after the command; %d GETs,"
                + " %d failed", took, requests, failed));
        progress("steady load in all: " + load.total() + " GETs, " + load.failures() + " failed "
                + load.failureSamples());
        assertThat(failed).as("failed GETs while scaling in: %s", load.failureSamples()).isZero();
        assertThat(serversUp()).hasSize(2);
    }

    /** Running/desired tasks of each service of the stack, by its short name. */
    private static Map<String, String> replicas() {
        Map<String, String> out = new LinkedHashMap<>();
        String ls = docker("service", "ls", "--filter", "label=com.docker.stack.namespace=" + STACK, "--format",
                "{{.Name}} {{.Replicas}}").orFail();
        for (String line : ls.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2) {
                out.put(f[0].substring(STACK.length() + 1), f[1]);
            }
        }
        return out;
    }

    /** The balancer's /api/status, from inside its task (swarm.yaml does not publish the admin port). */
    private static JsonNode status() throws IOException {
        return JSON.readTree(docker("exec", container("balancer"), "curl", "-fsS", "--max-time", "5",
                "http://127.0.0.1:9090/api/status").orFail());
    }

    private static List<JsonNode> servers() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        status().path("pools").get(0).path("servers").forEach(out::add);
        return out;
    }

    private static Set<String> serverNames() throws IOException {
        Set<String> names = new HashSet<>();
        servers().forEach(s -> names.add(s.path("name").asText()));
        return names;
    }

    private static Set<String> serversUp() throws IOException {
        Set<String> up = new HashSet<>();
        for (JsonNode s : servers()) {
            if (s.path("state").asText().equals("up")) {
                up.add(s.path("name").asText());
            }
        }
        return up;
    }

    /** The balancer lists exactly {@code n} servers, all up, each with requests. */
    private static boolean allServedWithRequests(int n) throws IOException {
        List<JsonNode> servers = servers();
        return servers.size() == n && servers.stream().allMatch(s -> s.path("state").asText().equals("up")
                && s.path("requests").asLong() > 0);
    }

    private static Map<String, Long> servedByAll() throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (JsonNode s : servers()) {
            out.put(s.path("name").asText() + " (" + s.path("address").asText() + ")", s.path("requests").asLong());
        }
        return out;
    }

    /** The one running container of a service of the stack. */
    private static String container(String service) {
        String ids = docker("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + STACK + "_" + service)
                .orFail();
        assertThat(ids).as("containers of %s", service).isNotEmpty().doesNotContain("\n");
        return ids;
    }

    /** `docker stack rm`, then waits until its containers and networks are gone and removes its volumes. */
    private static void removeStack() {
        docker("stack", "rm", STACK);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() ->
                docker("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + STACK).orFail().isEmpty()
                        && docker("network", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + STACK)
                        .orFail().isEmpty());
        String volumes = docker("volume", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + STACK)
                .orFail();
        for (String v : volumes.split("\\s+")) {
            if (!v.isBlank()) {
                docker("volume", "rm", v).orFail();
            }
        }
    }

    private static Cli.Result docker(String... args) {
        return images.docker(STEP, args);
    }

    private static HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).header("Host", HOST)
                .timeout(Duration.ofSeconds(10)).GET().build();
    }

    private static void progress(String line) {
        System.out.println("[swarm] " + line);
    }
}
