package com.foobar.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole topology in network namespaces, with no single point of failure: client, lb1/lb2 with keepalived, web1/web2, db1/db2, joined
 * by a bridge, with the three firewalls in nftables. Proves that the allowed flows work and the forbidden ones are
 * refused, each by a real connection attempt from the namespace it would come from, then kills the balancer holding
 * the virtual IP under a steady keep-alive load from the client and measures the failover window.
 * The last test is destructive, so the order is fixed.
 */
@ExtendWith(RequiresNetns.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NamespaceTopologyTest {
    private static Topology topology;
    private static Shop shop;
    private static Plan plan;
    private static Path runDir;

    @BeforeAll
    static void buildTopologyAndStartTheShop() throws Exception {
        String reason = Requirements.unmetReason();
        assertThat(reason).as("requirements (" + RequiresNetns.REQUIRED_ENV + "=1 makes them mandatory)").isNull();
        plan = Plan.forThisProcess();
        topology = Topology.create(plan, System.out);
        runDir = Files.createTempDirectory("foobar-netns-test-");
        shop = Shop.start(topology, Path.of(System.getProperty("foobar.balancer.jar")),
                Path.of(System.getProperty("foobar.webapp.jar")), runDir, System.out);
    }

    @AfterAll
    static void tearDown() {
        if (shop != null) {
            shop.close();
        }
        if (topology != null) {
            topology.close();
        }
        Shop.deleteRunDir(runDir);
    }

    @Test
    @Order(1)
    void clientGetsTheShopAndProductsFromTheDatabaseThroughTheVirtualIpOverHttps() {
        Commands.Result page = curl("https://www.foobar.com/");
        assertThat(page.exit()).as(page.output()).isZero();
        assertThat(page.output()).containsPattern("^HTTP/(1\\.1|2) 200").containsIgnoringCase("x-served-by: web-").contains("foobar");

        Commands.Result products = curl("https://www.foobar.com/api/products");
        assertThat(products.exit()).as(products.output()).isZero();
        assertThat(products.output()).containsPattern("^HTTP/(1\\.1|2) 200").containsIgnoringCase("x-db-node: ")
                .contains("\"items\":[{").contains("\"total\":");

        Commands.Result plain = topology.exec("client", Duration.ofSeconds(5), "curl", "-sS", "-i", "--max-time", "3",
                "http://www.foobar.com/");
        assertThat(plain.output()).as("port 80 redirects").contains("308").containsIgnoringCase("location: https://www.foobar.com");
    }

    @Test
    @Order(2)
    void allowedInnerFlowsConnect() {
        assertThat(connect("lb1", "web1", Plan.WEB_PORT)).isEqualTo("connected");
        assertThat(connect("lb2", "web2", Plan.WEB_PORT)).isEqualTo("connected");
        assertThat(connect("web1", "db1", Plan.DB_PORT)).isEqualTo("connected");
        assertThat(connect("web2", "db2", Plan.DB_PORT)).isEqualTo("connected");
        assertThat(connect("db2", "db1", Plan.DB_PORT)).as("replication").isEqualTo("connected");
    }

    @Test
    @Order(3)
    void firewallsRefuseEveryForbiddenFlow() {
        // Each port listens (the flows above reach it), so "prohibited" is the firewall, not a closed port.
        assertThat(connect("client", "web1", Plan.WEB_PORT)).as("client -> web1").isEqualTo("prohibited");
        assertThat(connect("client", "web2", Plan.WEB_PORT)).as("client -> web2").isEqualTo("prohibited");
        assertThat(connect("client", "db1", Plan.DB_PORT)).as("client -> db1").isEqualTo("prohibited");
        assertThat(connect("client", "db2", Plan.DB_PORT)).as("client -> db2").isEqualTo("prohibited");
        assertThat(connect("lb1", "db1", Plan.DB_PORT)).as("lb1 -> db1").isEqualTo("prohibited");
        assertThat(connect("lb2", "db2", Plan.DB_PORT)).as("lb2 -> db2").isEqualTo("prohibited");
        assertThat(connect("db1", "web1", Plan.WEB_PORT)).as("db1 -> web1").isEqualTo("prohibited");
        assertThat(connect("client", "lb1", Plan.ADMIN_PORT)).as("client -> lb1 admin").isEqualTo("prohibited");
        assertThat(connect("client", "lb2", Plan.ADMIN_PORT)).as("client -> lb2 admin").isEqualTo("prohibited");
        assertThat(connect("web1", "lb1", 22)).as("web1 -> lb1 other port").isEqualTo("prohibited");
    }

    @Test
    @Order(4)
    void killingTheActiveBalancerMovesTheVirtualIpWithinThreeSeconds() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        List<String> command = topology.inNamespace("client", List.of("java", "-XX:+UseSerialGC", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), LoadClient.class.getName(),
                "https://www.foobar.com/api/products?size=1", shop.certificate().toString(), "3000", "60", "20"));
        Process load = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("reader: " + e);
            }
        }, "load-reader");
        reader.start();
        try {
            await("steady load").atMost(Duration.ofSeconds(60)).until(() -> count(lines, "ok ", 0) >= 50);
            String active = topology.vipHolder();
            String standby = active.equals("lb1") ? "lb2" : "lb1";
            long killedAt = System.currentTimeMillis();
            shop.killBalancer(active);
            await("virtual IP on " + standby).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> standby.equals(topology.vipHolder()));
            long movedAt = System.currentTimeMillis();
            await("load succeeding again through " + standby).atMost(Duration.ofSeconds(30))
                    .until(() -> count(lines, "ok ", movedAt) >= 100);
            load.destroy();
            load.waitFor(10, TimeUnit.SECONDS);
            reader.join(5000);

            List<long[]> results = parse(lines);   // {time, 1 ok / 0 fail}
            long failuresBefore = results.stream().filter(r -> r[1] == 0 && r[0] < killedAt).count();
            List<long[]> failures = results.stream().filter(r -> r[1] == 0 && r[0] >= killedAt).toList();
            long window = failures.isEmpty() ? 0 : failures.get(failures.size() - 1)[0] - failures.get(0)[0];
            long longestGap = 0;
            long lastOk = -1;
            for (long[] r : results) {
                if (r[1] == 1) {
                    if (lastOk >= 0) {
                        longestGap = Math.max(longestGap, r[0] - lastOk);
                    }
                    lastOk = r[0];
                }
            }
            System.out.println("[netns] failover: killed the balancer in " + active + ", virtual IP on " + standby
                    + " after " + (movedAt - killedAt) + " ms (polled every 50 ms)");
            System.out.println("[netns] failover: " + results.size() + " requests, " + failures.size()
                    + " failed after the kill (" + failuresBefore + " before), failure window (first to last failure) "
                    + window + " ms, longest gap without a success " + longestGap + " ms");
            lines.stream().filter(l -> l.startsWith("fail")).limit(8).forEach(l -> System.out.println("[netns]   " + l));

            assertThat(topology.vipHolder()).isEqualTo(standby);
            assertThat(failuresBefore).as("failures before the kill").isZero();
            assertThat(window).as("failure window, ms").isLessThan(3000);
            assertThat(longestGap).as("longest gap without a success, ms").isLessThan(3000);
        } finally {
            load.destroyForcibly();
        }
    }

    private static long count(List<String> lines, String prefix, long after) {
        return parse(lines).stream().filter(r -> (prefix.startsWith("ok") ? r[1] == 1 : r[1] == 0) && r[0] >= after).count();
    }

    private static List<long[]> parse(List<String> lines) {
        List<long[]> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ", 3);
            if (f.length >= 2 && (f[0].equals("ok") || f[0].equals("fail")) && f[1].matches("\\d+")) {
                out.add(new long[] {Long.parseLong(f[1]), f[0].equals("ok") ? 1 : 0});
            }
        }
        return out;
    }

    private static Commands.Result curl(String url) {
        return topology.exec("client", Duration.ofSeconds(10), "curl", "-sS", "-i", "--max-time", "8",
                "--cacert", shop.certificate().toString(), url);
    }

    /**
     * One TCP connection attempt from a host's namespace, 3 s bound: "connected", "prohibited" (ICMP administratively
     * prohibited: our firewalls' reject, which the kernel reports as "No route to host"), "refused" (TCP reset: nothing
     * listens), or "timeout".
     */
    private static String connect(String from, String to, int port) {
        Commands.Result r = topology.exec(from, Duration.ofSeconds(5), "timeout", "3", "bash", "-c",
                "exec 3<>/dev/tcp/" + plan.address(to) + "/" + port);
        String outcome;
        if (r.ok()) {
            outcome = "connected";
        } else if (r.output().contains("No route to host")) {
            outcome = "prohibited";
        } else if (r.output().contains("Connection refused")) {
            outcome = "refused";
        } else if (r.exit() == 124) {
            outcome = "timeout";
        } else {
            outcome = "other: exit " + r.exit() + " " + r.output();
        }
        System.out.println("[netns] " + from + " -> " + to + ":" + port + " " + outcome);
        return outcome;
    }
}
