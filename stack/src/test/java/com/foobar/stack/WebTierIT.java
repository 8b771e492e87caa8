package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.foobar.webapp.web.ShopServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foobar --nginx}, the web server / application server split, run as a user runs it (the packaged jar, real
 * processes, the machine's nginx) and checked from outside: nginx serves the static files itself, the rest reaches
 * the application server with the client's address, the application server refuses everyone but its nginx, and the
 * balancer carries a killed nginx's traffic without a failed request.
 *
 * <p>Skipped where nginx is not installed, unless {@code FOOBAR_NGINX_REQUIRED} is set (CI sets it): then a missing
 * nginx fails the test instead of hiding it.
 */
class WebTierIT {

    private static final Path JAR = Path.of(System.getProperty("foobar.stack.jar", "target/foobar-stack.jar"));
    private static final Duration START_LIMIT = Duration.ofMinutes(3);
    private static final Duration STOP_LIMIT = Duration.ofMinutes(2);
    /** A client address of its own on loopback (all of 127/8 is local on Linux), so its journey can be followed. */
    private static final String CLIENT = "127.0.0.7";

    @TempDir
    Path dir;

    private RunningStack running;
    private Process stack;

    /** Public, admin, web-1, web-2, db primary, db replica, db-failover, overview, DNS, Prometheus, nginx-1, nginx-2. */
    private final int base = RunningStack.freePorts(12);
    private final int publicPort = base;
    private final int adminPort = base + 1;
    private final int webPort = base + 2;
    private final int nginxPort = base + 10;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void leaveNothingRunning() {
        if (running != null) {
            running.destroy(STOP_LIMIT);
        }
    }

    @Test
    void nginxServesStaticFilesPassesTheRestWithTheClientsAddressGuardsTheAppServerAndAKilledOneLosesNoRequest()
            throws Exception {
        boolean installed = NginxTier.program().isPresent();
        if (!installed && System.getenv("FOOBAR_NGINX_REQUIRED") != null) {
            throw new AssertionError("FOOBAR_NGINX_REQUIRED is set, but nginx is not installed (apt-get install nginx)");
        }
        Assumptions.assumeTrue(installed, "nginx is not installed (Debian: apt-get install nginx); "
                + "set FOOBAR_NGINX_REQUIRED=1 to fail instead");
        Path data = dir.resolve("data");
        start(data);

        // The table has a row per nginx, and the balancer's pool is the nginx servers (the names stay web-N).
        assertThat(output()).containsPattern("nginx-1\\s+http://127\\.0\\.0\\.1:" + nginxPort
                + " -> web-1\\s+\\d+\\s+data/logs/nginx-1\\.log")
                .containsPattern("nginx-2\\s+http://127\\.0\\.0\\.1:" + (nginxPort + 1) + " -> web-2\\s+\\d+");
        assertThat(Files.readString(data.resolve("balancer.yml")))
                .contains("{ name: web-1, address: \"127.0.0.1:" + nginxPort + "\"")
                .contains("{ name: web-2, address: \"127.0.0.1:" + (nginxPort + 1) + "\"");
        assertThat(data.resolve("nginx/nginx-1/nginx.conf")).exists();

        // 1. Static files come from nginx: its Server header and X-Served-By, the application server's cache policy,
        //    an ETag that revalidates, the jar's bytes; and no application server counts a request for them.
        long staticBefore = staticRequestsCountedByTheAppServers();
        byte[] css = WebTierIT.class.getClassLoader()
                .getResourceAsStream(NginxTier.STATIC_RESOURCES + "/style.css").readAllBytes();
        Set<String> staticServedBy = ConcurrentHashMap.newKeySet();
        String etag = null;
        for (int i = 0; i < 10; i++) {
            HttpResponse<byte[]> r = http.send(request("/static/style.css").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Server")).hasValue("nginx");
            assertThat(r.headers().firstValue("Cache-Control")).hasValue(ShopServer.STATIC_CACHE_CONTROL);
            assertThat(r.body()).isEqualTo(css);
            r.headers().firstValue("X-Served-By").ifPresent(staticServedBy::add);
            etag = r.headers().firstValue("ETag").orElseThrow();
        }
        assertThat(staticServedBy).containsExactlyInAnyOrder("nginx-1", "nginx-2");
        HttpResponse<String> revalidated = http.send(request("/static/style.css").header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(staticRequestsCountedByTheAppServers()).as("static requests the application servers answered")
                .isEqualTo(staticBefore);

        // 2. A dynamic page reaches the application server, which sees the client's own address, not the balancer's
        //    or nginx's, even when the client forges X-Forwarded-For; the balancer's request id is in nginx's log.
        String requestId = "webtier-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        String probe = "/api/products?probe=" + requestId;
        String response = rawGet(CLIENT, publicPort, probe, "Host: www.foobar.com", "X-Request-Id: " + requestId,
                "X-Forwarded-For: 6.6.6.6");
        assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("x-request-id: " + requestId);
        String servedBy = header(response, "X-Served-By");
        assertThat(servedBy).isIn("web-1", "web-2");
        String nginx = "nginx-" + servedBy.substring("web-".length());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(Files.readString(data.resolve("logs/" + servedBy + ".log")))
                    .contains("access: " + CLIENT + " \"GET " + probe + " HTTP/1.1\" 200");
            assertThat(Files.readString(data.resolve("logs/" + nginx + "-access.log")))
                    .contains(CLIENT + " via 127.0.0.1 \"GET " + probe + " HTTP/1.1\" 200")
                    .contains("rid=" + requestId);
        });

        // 3. The application server takes requests only from its nginx, by source address: the balancer's address
        //    (127.0.0.1, a curl's too) gets 403, /health from loopback stays open, nginx-1's own address passes.
        HttpResponse<String> direct = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort
                + "/api/products")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).isEqualTo(403);
        assertThat(direct.body()).contains("only accepts requests through its load balancer");
        assertThat(rawGet(CLIENT, webPort, "/", "Host: www.foobar.com")).startsWith("HTTP/1.1 403");
        assertThat(rawGet("127.0.0.1", webPort, "/health", "Host: x")).startsWith("HTTP/1.1 200");
        assertThat(rawGet(NginxTier.sourceAddress(1), webPort, "/api/products", "Host: x"))
                .as("what the trust list proves on one machine: a source address, which any local process may bind")
                .startsWith("HTTP/1.1 200");

        // 4. nginx-1 is killed (master and worker, SIGKILL) under a steady load of pages and static files: the
        //    balancer retries on nginx-2, not one GET fails, and the stack brings nginx-1 back.
        long wrapper = running.pidOf("nginx-1");
        List<ProcessHandle> nginx1 = ProcessHandle.of(wrapper).orElseThrow().descendants().collect(Collectors.toList());
        assertThat(nginx1).as("nginx-1's master and worker").hasSizeGreaterThanOrEqualTo(2);
        AtomicInteger done = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long loadEnds = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Thread load = new Thread(() -> {
            for (int i = 0; i < 20_000 && !Thread.currentThread().isInterrupted() && System.nanoTime() < loadEnds;
                    i++) {
                String path = i % 2 == 0 ? "/api/products" : "/static/app.js";
                try {
                    int status = http.send(request(path).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status != 200) {
                        failures.add(path + " -> " + status);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    failures.add(path + " -> " + e);
                }
                done.incrementAndGet();
            }
        }, "web-tier-load");
        load.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> done.get() >= 50);
            long killedAt = System.nanoTime();
            nginx1.forEach(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(output())
                    .contains("!! nginx-1 (pid " + wrapper + ") exited on its own with status 137 (killed by SIGKILL)"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(output())
                    .containsPattern("nginx-1 is back: pid \\d+ \\(restart 1\\)"));
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> RunningStack.serverState(http, adminPort, "web-1").equals("up"));
            int atReturn = done.get();
            System.out.printf(Locale.ROOT, "[web-tier] nginx-1 killed; back in rotation %.1f s later; %d GETs by"
                    + " then%n", (System.nanoTime() - killedAt) / 1e9, atReturn);
            // And some more once it is back, so that the load spans the whole episode.
            await().atMost(Duration.ofSeconds(20)).until(() -> done.get() >= atReturn + 50);
        } finally {
            load.interrupt();
            load.join(TimeUnit.SECONDS.toMillis(10));
        }
        System.out.printf(Locale.ROOT, "[web-tier] %d GETs while nginx-1 was killed and restarted, %d failed%n",
                done.get(), failures.size());
        assertThat(failures).as("failed GETs while nginx-1 was killed and restarted").isEmpty();

        // 5. SIGTERM stops the balancer, then nginx, then the application servers, and leaves nothing behind.
        List<ProcessHandle> tree = stack.descendants().collect(Collectors.toList());
        assertThat(stack.toHandle().destroy()).isTrue();
        assertThat(stack.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        running.reader.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        String out = output();
        assertThat(out.indexOf("stopped balancer")).isPositive().isLessThan(out.indexOf("stopped nginx-1, nginx-2"));
        assertThat(out.indexOf("stopped nginx-1, nginx-2")).isLessThan(out.indexOf("stopped web-1, web-2"));
    }

    /** Requests the application servers' own static route answered, summed over both (read through nginx). */
    private long staticRequestsCountedByTheAppServers() throws Exception {
        long sum = 0;
        for (int port : new int[] {nginxPort, nginxPort + 1}) {
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("webapp_http_requests_seconds_count");
            for (String line : metrics.body().split("\n")) {
                if (line.startsWith("webapp_http_requests_seconds_count{") && line.contains("route=\"static\"")) {
                    sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return sum;
    }

    /**
     * One HTTP/1.1 GET from {@code from} (a loopback address of this machine), head and body as text: the JDK's
     * client of Java 17 cannot choose its source address.
     */
    private static String rawGet(String from, int port, String path, String... headers) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new AssertionError("no " + name + " in:\n" + response);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + publicPort + path))
                .header("Host", "www.foobar.com").timeout(Duration.ofSeconds(10));
    }

    private String output() {
        return running.output();
    }

    private void start(Path data) throws IOException {
        assertThat(JAR).as("the packaged stack jar").exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                "--bind", "127.0.0.1",
                "--port", Integer.toString(publicPort),
                "--admin-port", Integer.toString(adminPort),
                "--web-port", Integer.toString(webPort),
                "--db-port", Integer.toString(base + 4),
                "--failover-port", Integer.toString(base + 6),
                "--overview-port", Integer.toString(base + 7),
                "--dns-port", Integer.toString(base + 8),
                "--prometheus-port", Integer.toString(base + 9),
                "--nginx", "--nginx-port", Integer.toString(nginxPort),
                "--data-dir", data.toString()));
        running = RunningStack.launch(command, dir, START_LIMIT);
        stack = running.process;
    }
}
