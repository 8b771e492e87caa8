package com.foobar.docker;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of docker/compose.yaml: its services, the network segmentation, what is published and
 * where, health checks and start order, and the cross-references that {@code docker-compose config} (Debian's 1.29)
 * does not check: undefined networks and volumes, and malformed durations.
 */
class ComposeTopologyTest {
    private static final ComposeFile COMPOSE = ComposeFile.load(StackFiles.COMPOSE);
    private static final List<String> WEB = List.of("web-1", "web-2");
    private static final List<String> MYSQL = List.of("mysql-primary", "mysql-replica");
    private static final List<String> BALANCERS = List.of("lb-1", "lb-2");
    private static final Pattern DURATION = Pattern.compile("(\\d+(\\.\\d+)?(ns|us|ms|s|m|h))+");

    @Test
    void runsTheServicesOfTheIssue() {
        assertThat(COMPOSE.serviceNames()).containsExactlyInAnyOrder(
                "lb-1-netns", "lb-1", "keepalived-1", "lb-2-netns", "lb-2", "keepalived-2",
                "web-1", "web-2", "mysql-primary", "mysql-replica", "db-failover", "overview", "dns", "prometheus",
                "agent-lb", "agent-web", "agent-db", "mysql-primary-exporter", "mysql-replica-exporter", "logs",
                "grafana", "k6");
    }

    @Test
    void eachBalancerNodeIsItsBalancerAndItsKeepalivedInANamespaceThatOnlyHoldsIt() {
        for (int n = 1; n <= 2; n++) {
            String holder = "lb-" + n + "-netns";
            assertThat(COMPOSE.namespaceOwner("lb-" + n)).isEqualTo(holder);
            assertThat(COMPOSE.namespaceJoiners(holder)).as("containers in %s's namespace", holder)
                    .containsExactlyInAnyOrder("lb-" + n, "keepalived-" + n);
            JsonNode h = COMPOSE.service(holder);
            // The holder outlives the other two because it does nothing, with nothing.
            assertThat(h.path("command").toString()).isEqualTo("[\"hold\"]");
            assertThat(h.path("user").asText()).as("%s runs as nobody", holder).isEqualTo("65534:65534");
            assertThat(h.path("cap_drop").toString()).isEqualTo("[\"ALL\"]");
            assertThat(h.has("cap_add")).as("%s adds no capability", holder).isFalse();
            assertThat(h.path("read_only").asBoolean()).as("%s read_only", holder).isTrue();
            assertThat(h.path("restart").asText()).isEqualTo("unless-stopped");
            assertThat(h.path("networks").path("front").path("aliases").toString()).contains("\"lb-" + n + "\"");
            assertThat(h.path("networks").path("app").path("aliases").toString()).contains("\"lb-" + n + "\"");
        }
        // Nothing else joins another service's namespace: only the two holders have joiners.
        for (String service : COMPOSE.serviceNames()) {
            String owner = COMPOSE.namespaceOwner(service);
            assertThat(owner).as("namespace of %s", service).isIn(service, "lb-1-netns", "lb-2-netns");
        }
    }

    @Test
    void onlyTheFirstBalancerPublishesThePublicPorts() {
        assertThat(COMPOSE.ports("lb-1")).anySatisfy(p -> {
            assertThat(p.hostPort()).isEqualTo(80);
            assertThat(p.hostIp()).isIn("", "0.0.0.0");
        });
        for (String service : COMPOSE.serviceNames()) {
            for (ComposeFile.PortMapping p : COMPOSE.ports(service)) {
                if (COMPOSE.namespaceOwner(service).equals("lb-1-netns") && (p.hostPort() == 80 || p.hostPort() == 443)) {
                    continue;
                }
                assertThat(p.hostIp()).as("%s publishes %s on every interface", service, p).isEqualTo("127.0.0.1");
            }
        }
        // Docker publishes to one container: lb-2 is reached through the VIP (BalancerPairContractTest).
        assertThat(COMPOSE.ports("lb-2")).allSatisfy(p -> assertThat(p.hostIp()).isEqualTo("127.0.0.1"));
        for (String service : concat(WEB, MYSQL)) {
            assertThat(COMPOSE.ports(service)).as("%s must not be published", service).isEmpty();
        }
    }

    @Test
    void eachBalancersAdminPortIsOnTheHostsLoopbackOnlyOnItsOwnPort() {
        assertThat(COMPOSE.ports("lb-1")).anySatisfy(p -> {
            assertThat(p.hostIp()).isEqualTo("127.0.0.1");
            assertThat(p.hostPort()).isEqualTo(9090);
            assertThat(p.containerPort()).isEqualTo(9090);
        });
        assertThat(COMPOSE.ports("lb-2")).singleElement().satisfies(p -> {
            assertThat(p.hostIp()).isEqualTo("127.0.0.1");
            assertThat(p.hostPort()).isEqualTo(9092);
            assertThat(p.containerPort()).isEqualTo(9090);
        });
    }

    @Test
    void eachTierIsReachableOnlyFromTheOneInFrontOfIt() {
        for (String lb : BALANCERS) {
            assertThat(COMPOSE.networks(lb)).as(lb).containsExactlyInAnyOrder("front", "app");
        }
        for (String web : WEB) {
            assertThat(COMPOSE.networks(web)).as(web).containsExactlyInAnyOrder("app", "db");
        }
        for (String db : MYSQL) {
            assertThat(COMPOSE.networks(db)).as(db).containsExactly("db");
        }
        // The failover decider talks SQL to the nodes (db) and serves Prometheus (monitoring); nothing else.
        assertThat(COMPOSE.networks("db-failover")).containsExactlyInAnyOrder("db", "monitoring");
        // The overview reads what Prometheus reads: the balancers and web servers on app, db-failover on monitoring.
        assertThat(COMPOSE.networks("overview")).containsExactlyInAnyOrder("app", "monitoring");
        // The database tier's monitoring: the exporters on db alone, next to their nodes; the agent on db and on
        // monitoring, where it pushes to the collector.
        for (String exporter : List.of("mysql-primary-exporter", "mysql-replica-exporter")) {
            assertThat(COMPOSE.networks(exporter)).as(exporter).containsExactly("db");
        }
        assertThat(COMPOSE.networks("agent-db")).containsExactlyInAnyOrder("db", "monitoring");
        Set<String> onDb = membersOf("db");
        assertThat(onDb).containsExactlyInAnyOrder("web-1", "web-2", "mysql-primary", "mysql-replica", "db-failover",
                "agent-db", "mysql-primary-exporter", "mysql-replica-exporter");
        assertThat(membersOf("front")).containsExactlyInAnyOrder("lb-1-netns", "lb-2-netns", "k6", "dns");
        // The zone's server is on front alone: it answers the clients and reaches nothing behind the balancers.
        assertThat(COMPOSE.networks("dns")).containsExactly("front");
        // app carries the balancers, the web servers, and the agents of those two tiers and the overview, which read
        // them; nothing on it reaches MySQL except the web servers.
        assertThat(membersOf("app")).containsExactlyInAnyOrder("lb-1-netns", "lb-2-netns", "web-1", "web-2",
                "agent-lb", "agent-web", "overview");
        // The collector and the logs service reach no tier: the agents and Docker's log driver come to them.
        assertThat(COMPOSE.networks("prometheus")).containsExactly("monitoring");
        assertThat(COMPOSE.networks("logs")).containsExactly("monitoring");
        assertThat(COMPOSE.at("/networks/app/internal").asBoolean()).as("app is internal").isTrue();
        assertThat(COMPOSE.at("/networks/db/internal").asBoolean()).as("db is internal").isTrue();
    }

    @Test
    void everyNetworkAndNamedVolumeAServiceUsesIsDeclared() {
        Set<String> networks = new HashSet<>();
        COMPOSE.at("/networks").fieldNames().forEachRemaining(networks::add);
        Set<String> volumes = new HashSet<>();
        COMPOSE.at("/volumes").fieldNames().forEachRemaining(volumes::add);
        for (String service : COMPOSE.serviceNames()) {
            assertThat(networks).as("networks of %s", service).containsAll(COMPOSE.networks(service));
            for (String v : COMPOSE.volumes(service)) {
                String source = v.split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertThat(StackFiles.fromCompose(source)).as("bind mount of %s", service).exists();
                } else {
                    assertThat(volumes).as("named volume of %s", service).contains(source);
                }
            }
        }
    }

    @Test
    void everyServiceHasAHealthcheckWithValidDurations() {
        for (String service : COMPOSE.serviceNames()) {
            JsonNode hc = COMPOSE.service(service).path("healthcheck");
            assertThat(hc.isObject()).as("%s has a healthcheck", service).isTrue();
            assertThat(hc.path("disable").asBoolean(false)).as("%s healthcheck disabled", service).isFalse();
            assertThat(COMPOSE.healthcheckCommand(service)).as("%s healthcheck test", service).isNotBlank();
            for (String key : List.of("interval", "timeout", "start_period")) {
                if (hc.has(key)) {
                    assertThat(hc.get(key).asText()).as("%s healthcheck.%s", service, key).matches(DURATION);
                }
            }
        }
    }

    @Test
    void startsInOrderOfHealth() {
        assertThat(COMPOSE.dependsOn("lb-1").keySet()).containsExactlyInAnyOrder("web-1", "web-2");
        // lb-2 also waits for lb-1, which makes the tls.auto CA on the volume they share.
        assertThat(COMPOSE.dependsOn("lb-2").keySet()).containsExactlyInAnyOrder("web-1", "web-2", "lb-1");
        assertThat(COMPOSE.volumes("lb-2")).isEqualTo(COMPOSE.volumes("lb-1")).contains("lb-data:/var/lib/foobar");
        // db-failover: healthy once a node is writable (every node starts read-only), which Flyway needs.
        assertThat(COMPOSE.dependsOn("web-1").keySet())
                .containsExactlyInAnyOrder("mysql-primary", "mysql-replica", "db-failover");
        // web-1 builds the image web-2 runs (see imagesAreBuiltBeforeTheServicesThatUseThem).
        assertThat(COMPOSE.dependsOn("web-2").keySet())
                .containsExactlyInAnyOrder("mysql-primary", "mysql-replica", "db-failover", "web-1");
        assertThat(COMPOSE.dependsOn("web-2")).containsEntry("web-1", "service_started");
        assertThat(COMPOSE.dependsOn("mysql-replica").keySet()).containsExactly("mysql-primary");
        // The first services to start wait for the logs service, so that their first lines are kept.
        for (String first : List.of("mysql-primary", "dns", "prometheus")) {
            assertThat(COMPOSE.dependsOn(first).keySet()).as(first).containsExactly("logs");
        }
        for (String agent : List.of("agent-lb", "agent-web", "agent-db")) {
            assertThat(COMPOSE.dependsOn(agent).keySet()).as(agent).containsExactly("prometheus");
        }
        assertThat(COMPOSE.dependsOn("mysql-primary-exporter").keySet()).containsExactly("mysql-primary");
        assertThat(COMPOSE.dependsOn("mysql-replica-exporter").keySet()).containsExactly("mysql-replica");
        assertThat(COMPOSE.dependsOn("db-failover").keySet()).containsExactlyInAnyOrder("mysql-primary", "mysql-replica");
        // A healthy keepalived is MASTER or BACKUP, with its balancer answering.
        assertThat(COMPOSE.dependsOn("k6").keySet()).containsExactlyInAnyOrder("keepalived-1", "keepalived-2");
        for (String service : COMPOSE.serviceNames()) {
            for (Map.Entry<String, String> d : COMPOSE.dependsOn(service).entrySet()) {
                assertThat(COMPOSE.serviceNames()).as("%s depends on an unknown service", service).contains(d.getKey());
                if (!builderOf(COMPOSE.service(service).path("image").asText()).equals(d.getKey())) {
                    assertThat(d.getValue()).as("%s depends_on %s", service, d.getKey()).isEqualTo("service_healthy");
                }
            }
        }
    }

    /**
     * Compose v1 readies images in dependency order and pulls an image it meets before the service that builds it:
     * from a machine that never built them, `up --build` stopped at "Pulling lb-2-netns (foobar/keepalived)". So a
     * service that runs an image another service builds depends on that builder, directly or through the network
     * namespace it joins.
     */
    @Test
    void imagesAreBuiltBeforeTheServicesThatUseThem() {
        for (String service : COMPOSE.serviceNames()) {
            JsonNode s = COMPOSE.service(service);
            String builder = builderOf(s.path("image").asText());
            if (s.has("build") || builder.isEmpty()) {
                continue;
            }
            String owner = COMPOSE.namespaceOwner(service);
            assertThat(owner.equals(builder) || COMPOSE.dependsOn(service).containsKey(builder)
                    || COMPOSE.dependsOn(owner).containsKey(builder))
                    .as("%s runs %s, which %s builds, without depending on it", service, s.path("image").asText(),
                            builder)
                    .isTrue();
        }
    }

    /** The service that builds {@code image}, or "" when none does. */
    private static String builderOf(String image) {
        for (String service : COMPOSE.serviceNames()) {
            JsonNode s = COMPOSE.service(service);
            if (s.has("build") && s.path("image").asText().equals(image)) {
                return service;
            }
        }
        return "";
    }

    @Test
    void k6RunsOnlyUnderTheLoadProfileAsAnOutsideClient() {
        for (String service : COMPOSE.serviceNames()) {
            JsonNode profiles = COMPOSE.service(service).path("profiles");
            if (service.equals("k6")) {
                assertThat(profiles.toString()).isEqualTo("[\"load\"]");
            } else {
                assertThat(profiles.isMissingNode()).as("%s must start with a plain `up`", service).isTrue();
            }
        }
        assertThat(COMPOSE.networks("k6")).containsExactly("front");
        assertThat(COMPOSE.service("k6").path("image").asText()).startsWith("grafana/k6:");
        assertThat(COMPOSE.bindSourceOf("k6", "/scripts")).isEqualTo("./k6");
    }

    @Test
    void usesTheOfficialImageOfTheDatabaseFlavourForBothNodes() {
        ComposeFile mariadb = ComposeFile.load(StackFiles.COMPOSE, Map.of("FOOBAR_DB_FLAVOR", "mariadb"));
        for (String db : MYSQL) {
            assertThat(COMPOSE.service(db).path("image").asText()).as("%s by default", db).isEqualTo("mysql:8.4");
            assertThat(mariadb.service(db).path("image").asText()).as("%s, mariadb flavour", db).isEqualTo("mariadb:11.4");
        }
    }

    @Test
    void ourServicesAreBuiltFromTheDockerfileTargets() {
        assertThat(COMPOSE.service("lb-1").path("build").path("target").asText()).isEqualTo("balancer");
        assertThat(COMPOSE.service("web-1").path("build").path("target").asText()).isEqualTo("webapp");
        assertThat(COMPOSE.service("db-failover").path("build").path("target").asText()).isEqualTo("db-failover");
        // One builder per image tag: two services building foobar/webapp:latest race on Compose v2.
        assertThat(COMPOSE.service("web-2").has("build")).as("web-2 builds nothing").isFalse();
        assertThat(COMPOSE.service("web-2").path("image").asText())
                .isEqualTo(COMPOSE.service("web-1").path("image").asText()).isEqualTo("foobar/webapp:latest");
        assertThat(COMPOSE.service("lb-2").has("build")).as("lb-2 builds nothing").isFalse();
        assertThat(COMPOSE.service("lb-2").path("image").asText())
                .isEqualTo(COMPOSE.service("lb-1").path("image").asText()).isEqualTo("foobar/balancer:latest");
        for (String service : List.of("lb-1", "web-1", "db-failover")) {
            JsonNode build = COMPOSE.service(service).path("build");
            assertThat(StackFiles.fromCompose(build.path("context").asText())).as(service).isEqualTo(StackFiles.ROOT);
            assertThat(StackFiles.ROOT.resolve(build.path("dockerfile").asText()).normalize())
                    .isEqualTo(StackFiles.DOCKERFILE);
        }
    }

    @Test
    void theKeepalivedImageHasOneBuilderTheFirstServiceOfTheFile() {
        List<String> users = new ArrayList<>();
        List<String> builders = new ArrayList<>();
        for (String service : COMPOSE.serviceNames()) {
            JsonNode s = COMPOSE.service(service);
            if (s.path("image").asText().equals("foobar/keepalived:latest")) {
                users.add(service);
                if (s.has("build")) {
                    builders.add(service);
                }
            }
        }
        assertThat(users).containsExactlyInAnyOrder("lb-1-netns", "keepalived-1", "lb-2-netns", "keepalived-2");
        assertThat(builders).containsExactly("lb-1-netns");
        // Compose v1 makes images in file order and would try to pull foobar/keepalived for a user met before its
        // builder; Compose v2 skips pulling an image another service builds.
        assertThat(COMPOSE.serviceNames().get(0)).isEqualTo("lb-1-netns");
        JsonNode build = COMPOSE.service("lb-1-netns").path("build");
        assertThat(StackFiles.fromCompose(build.path("context").asText())).isEqualTo(StackFiles.DOCKER.resolve("keepalived"));
        assertThat(build.has("dockerfile")).as("the context's own Dockerfile").isFalse();
    }

    @Test
    void theRootComposeFileIncludesThisOne() {
        assertThat(StackFiles.ROOT_COMPOSE).exists();
        ComposeFile root = ComposeFile.load(StackFiles.ROOT_COMPOSE);
        List<String> keys = new ArrayList<>();
        root.root().fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("include");
        List<String> included = new ArrayList<>();
        for (JsonNode inc : root.root().path("include")) {
            included.add(inc.isTextual() ? inc.asText() : inc.path("path").asText());
        }
        assertThat(included).hasSize(1);
        assertThat(StackFiles.ROOT.resolve(included.get(0)).normalize()).isEqualTo(StackFiles.COMPOSE);
        assertThat(Files.isRegularFile(StackFiles.COMPOSE)).isTrue();
    }

    /** The network namespaces on a network, by the service that owns each (a joiner is counted as its owner). */
    private static Set<String> membersOf(String network) {
        Set<String> out = new HashSet<>();
        for (String service : COMPOSE.serviceNames()) {
            if (COMPOSE.namespaceOwner(service).equals(service) && COMPOSE.networks(service).contains(network)) {
                out.add(service);
            }
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
