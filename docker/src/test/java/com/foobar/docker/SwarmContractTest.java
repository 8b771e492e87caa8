package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.config.HostPort;
import com.foobar.balancer.config.ListenerConfig;
import com.foobar.webapp.WebAppConfig;
import com.foobar.webapp.net.TrustedProxies;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/swarm.yaml held, without an engine, to compose.yaml and to the code it runs: only keys `docker stack deploy`
 * applies, the same settings as compose wherever Swarm allows them, web as one dnsrr service the balancer discovers,
 * and a trusted-proxy gate that admits the app overlay (which only the balancer and web join) and loopback, nothing
 * else. {@link SwarmStackTest} deploys it for real.
 */
class SwarmContractTest {
    private static final ComposeFile SWARM = ComposeFile.load(StackFiles.DOCKER.resolve("swarm.yaml"));
    private static final ComposeFile COMPOSE = ComposeFile.load(StackFiles.COMPOSE,
            Map.of("FOOBAR_DB_FLAVOR", "mariadb"));
    private static final ComposeFile MARIADB = ComposeFile.load(StackFiles.DOCKER.resolve("db-mariadb.yaml"));

    @Test
    void usesOnlyWhatDockerStackDeployApplies() {
        for (String service : SWARM.serviceNames()) {
            JsonNode s = SWARM.service(service);
            for (String key : List.of("build", "depends_on", "network_mode", "extends", "container_name",
                    "extra_hosts", "tmpfs", "mem_limit", "restart", "security_opt")) {
                assertThat(s.has(key)).as("%s.%s (ignored or refused by docker stack deploy)", service, key).isFalse();
            }
            assertThat(s.path("image").asText()).as("%s has an image to run", service).isNotBlank();
            for (JsonNode v : s.path("volumes")) {
                assertThat(v.isTextual() ? v.asText().startsWith(".") || v.asText().startsWith("/") : false)
                        .as("%s bind-mounts %s: a node of a multi-host swarm has no checkout (use configs)", service,
                                v).isFalse();
            }
        }
        SWARM.root().path("configs").fields().forEachRemaining(c -> assertThat(
                Files.isRegularFile(StackFiles.DOCKER.resolve(c.getValue().path("file").asText())))
                .as("config %s's file", c.getKey()).isTrue());
    }

    @Test
    void webIsOneDnsrrServiceThatRollsStartFirstAndTheBalancerDiscoversIt() throws Exception {
        JsonNode deploy = SWARM.service("web").path("deploy");
        assertThat(deploy.path("endpoint_mode").asText()).isEqualTo("dnsrr");
        assertThat(deploy.path("replicas").asInt()).isEqualTo(2);
        assertThat(deploy.path("update_config").path("order").asText()).isEqualTo("start-first");
        assertThat(SWARM.healthcheckCommand("web")).isEqualTo(COMPOSE.healthcheckCommand("web-1"));
        BalancerConfig lb = ConfigLoader.load(StackFiles.DOCKER.resolve("swarm-balancer.yml"));
        assertThat(lb.pools().get("web").discover()).isEqualTo(new HostPort("tasks.web", 8080));
        assertThat(lb.pools().get("web").servers()).as("every server from DNS").isEmpty();
        BalancerConfig composeLb = ConfigLoader.load(StackFiles.BALANCER_YML);
        // The same listeners by name as compose's; compose's first firewall (port 80 only redirects, HSTS, the admin
        // listener closed to front) is not in the Swarm stack, which still serves the shop on both (docker/README.md,
        // "What the Swarm stack leaves out").
        assertThat(lb.listeners()).extracting(ListenerConfig::name)
                .isEqualTo(composeLb.listeners().stream().map(ListenerConfig::name).toList());
        assertThat(SWARM.bindSourceOf("balancer", "/etc/foobar/balancer.yml")).isNull();
        assertThat(configTarget("balancer", "balancer")).isEqualTo("/etc/foobar/balancer.yml");
        for (JsonNode port : SWARM.service("balancer").path("ports")) {
            assertThat(port.path("mode").asText()).as("published without the ingress mesh (no IPVS here)")
                    .isEqualTo("host");
        }
        assertThat(SWARM.service("balancer").path("deploy").path("replicas").asInt()).isEqualTo(1);
    }

    @Test
    void servicesKeepComposesSettingsWhereSwarmAllowsThem() {
        Map<String, String> web = new LinkedHashMap<>(SWARM.environment("web"));
        Map<String, String> composeWeb = new LinkedHashMap<>(COMPOSE.environment("web-1"));
        assertThat(web.remove("FOOBAR_NAME")).isEqualTo("web-{{.Task.Slot}}");
        composeWeb.remove("FOOBAR_NAME");
        web.remove("FOOBAR_TRUSTED_PROXIES");
        composeWeb.remove("FOOBAR_TRUSTED_PROXIES");
        web.remove("FOOBAR_SHUTDOWN_TIMEOUT");
        assertThat(web).isEqualTo(composeWeb);
        assertThat(SWARM.environment("db-failover")).isEqualTo(COMPOSE.environment("db-failover"));
        // Compose's accounts bound to fixed addresses on db (x-db-accounts) have no Swarm equivalent: a task's
        // address changes with every task. The init script binds them to '%' when those are unset, and the db
        // overlay (not attachable) is the Swarm stack's database firewall; it runs no exporters.
        for (String node : List.of("mysql-primary", "mysql-replica")) {
            Map<String, String> composeDb = new LinkedHashMap<>(COMPOSE.environment(node));
            composeDb.keySet().removeAll(List.of("MYSQL_ROOT_HOST", "FOOBAR_APP_HOSTS", "FOOBAR_REPLICATION_HOSTS",
                    "FOOBAR_FAILOVER_HOSTS", "FOOBAR_EXPORTER_HOSTS", "MYSQL_EXPORTER_USER", "MYSQL_EXPORTER_PASSWORD"));
            assertThat(SWARM.environment(node)).as(node).isEqualTo(composeDb);
        }
        for (String[] node : List.of(new String[] {"mysql-primary", "primary"}, new String[] {"mysql-replica", "replica"})) {
            assertThat(SWARM.service(node[0]).path("command")).as("%s: db-mariadb.yaml's server options", node[0])
                    .isEqualTo(MARIADB.service(node[1]).path("command"));
            assertThat(SWARM.healthcheckCommand(node[0])).isEqualTo(COMPOSE.healthcheckCommand(node[0]));
            assertThat(configTarget(node[0], "db-init")).isEqualTo("/docker-entrypoint-initdb.d/10-foobar-node.sh");
            assertThat(configTarget(node[0], "db-healthcheck")).isEqualTo("/usr/local/bin/foobar-healthcheck");
        }
        assertThat(SWARM.at("/configs/db-init/file").asText()).isEqualTo("./db/mariadb/init/10-foobar-node.sh");
        assertThat(SWARM.healthcheckCommand("db-failover")).isEqualTo(COMPOSE.healthcheckCommand("db-failover"));
        assertThat(SWARM.healthcheckCommand("balancer")).isEqualTo(COMPOSE.healthcheckCommand("lb-1"));
    }

    @Test
    void theWebServersAdmitTheAppOverlayWhichOnlyTheBalancerAndWebJoin() throws Exception {
        for (ComposeFile swarm : List.of(SWARM, ComposeFile.load(StackFiles.DOCKER.resolve("swarm.yaml"),
                Map.of("FOOBAR_SWARM_APP_NET", "10.99.43")))) {
            JsonNode app = swarm.at("/networks/app");
            assertThat(app.path("internal").asBoolean()).isTrue();
            assertThat(app.path("attachable").asBoolean(true)).as("no `docker run --network` onto app").isFalse();
            String subnet = app.path("ipam").path("config").get(0).path("subnet").asText();
            List<String> onApp = new ArrayList<>();
            for (String service : swarm.serviceNames()) {
                if (swarm.networks(service).contains("app")) {
                    onApp.add(service);
                }
            }
            assertThat(onApp).containsExactlyInAnyOrder("balancer", "web");
            Map<String, String> env = new LinkedHashMap<>(swarm.environment("web"));
            env.put("FOOBAR_NAME", env.get("FOOBAR_NAME").replace("{{.Task.Slot}}", "1")); // as Swarm renders slot 1
            TrustedProxies trusted = WebAppConfig.fromArgs(new String[0], env).trustedProxies();
            assertThat(trusted.ranges()).containsExactlyInAnyOrder(subnet, "127.0.0.1/32");
            TrustedProxiesContractTest.Ipv4Range range = TrustedProxiesContractTest.Ipv4Range.parse(subnet);
            assertThat(trusted.contains(TrustedProxiesContractTest.Ipv4Range.inet(range.first() + 2))).isTrue();
            assertThat(trusted.contains(TrustedProxiesContractTest.Ipv4Range.inet(range.last() + 1)))
                    .as("the next subnet (db, another overlay)").isFalse();
            assertThat(trusted.contains(InetAddress.getByName("127.0.0.2"))).isFalse();
            // The balancer reaches web over app only: that is the source address web sees.
            List<String> shared = new ArrayList<>(swarm.networks("balancer"));
            shared.retainAll(swarm.networks("web"));
            assertThat(shared).containsExactly("app");
        }
    }

    /** Where the service mounts the config {@code source}, or null. */
    private static String configTarget(String service, String source) {
        for (JsonNode c : SWARM.service(service).path("configs")) {
            if (c.path("source").asText().equals(source)) {
                return c.path("target").asText();
            }
        }
        return null;
    }
}
