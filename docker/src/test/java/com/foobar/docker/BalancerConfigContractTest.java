package com.foobar.docker;

import com.foobar.balancer.config.AdminConfig;
import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.Cidr;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.config.ListenerConfig;
import com.foobar.balancer.config.PoolConfig;
import com.foobar.balancer.config.RouteConfig;
import com.foobar.balancer.config.ServerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/balancer.yml, the configuration both balancers (lb-1 and lb-2) run with, loaded by the balancer's own
 * {@link ConfigLoader}, and held against the compose file: the ports compose publishes and probes, and the web
 * servers' names, ports and health endpoints.
 */
class BalancerConfigContractTest {
    private static final ComposeFile COMPOSE = ComposeFile.load(StackFiles.COMPOSE);
    private static BalancerConfig config;

    @BeforeAll
    static void load() throws Exception {
        config = ConfigLoader.load(StackFiles.BALANCER_YML);
    }

    @Test
    void theComposeFileMountsThisConfigurationWhereTheImageReadsItInBothBalancers() {
        assertThat(StackFiles.read(StackFiles.DOCKERFILE))
                .contains("CMD [\"--config\", \"/etc/foobar/balancer.yml\"]");
        for (String lb : List.of("lb-1", "lb-2")) {
            assertThat(COMPOSE.bindSourceOf(lb, "/etc/foobar/balancer.yml")).as(lb).isEqualTo("./balancer.yml");
            assertThat(COMPOSE.service(lb).path("command").toString()).as(lb)
                    .isEqualTo("[\"--config\",\"/etc/foobar/balancer.yml\"]");
        }
    }

    @Test
    void thePublicListenerIsWhatHostPort80IsPublishedToAndOnlyRedirectsToHttps() {
        assertThat(config.listeners()).extracting(ListenerConfig::name).containsExactly("public", "https");
        ListenerConfig publicListener = listener("public");
        assertThat(publicListener.tls()).as("plain HTTP").isNull();
        // The first firewall: plain HTTP proxies nothing, it redirects to the HTTPS listener's port.
        assertThat(publicListener.redirectToHttps()).isEqualTo(listener("https").bind().port()).isEqualTo(443);
        assertThat(publicListener.routes()).isEmpty();
        assertThat(publicListener.defaultPool()).isNull();
        // Ports 80 and 443 without root: unprivileged ports start at 80 in the balancers' namespaces only.
        for (String holder : List.of("lb-1-netns", "lb-2-netns")) {
            assertThat(COMPOSE.service(holder).path("sysctls").path("net.ipv4.ip_unprivileged_port_start").asInt(-1))
                    .as(holder).isEqualTo(80);
        }
        assertThat(publicListener.bind().host()).as("binds all interfaces of the container").isEqualTo("0.0.0.0");
        assertThat(COMPOSE.ports("lb-1")).anySatisfy(p -> {
            assertThat(p.hostPort()).isEqualTo(80);
            assertThat(p.containerPort()).isEqualTo(publicListener.bind().port());
        });
    }

    @Test
    void theHttpsListenerIsWhatHostPort443IsPublishedToAndKeepsItsCertificatesOnTheVolume() {
        ListenerConfig https = listener("https");
        assertThat(https.tls()).as("terminates TLS").isNotNull();
        assertThat(https.tls().auto()).contains("www.foobar.com", "foobar.com");
        assertThat(https.bind().host()).as("binds all interfaces of the container").isEqualTo("0.0.0.0");
        assertThat(COMPOSE.ports("lb-1")).anySatisfy(p -> {
            assertThat(p.hostPort()).isEqualTo(443);
            assertThat(p.containerPort()).isEqualTo(https.bind().port());
        });
        assertThat(config.dataDir().toString()).as("the tls.auto CA lives on the lb-data volume")
                .startsWith("/var/lib/foobar");
        // One volume for both: one CA, so that a client that trusts it is served by either after a failover.
        for (String lb : List.of("lb-1", "lb-2")) {
            assertThat(COMPOSE.service(lb).path("volumes").toString()).as(lb).contains("lb-data:/var/lib/foobar");
        }
    }

    private ListenerConfig listener(String name) {
        return config.listeners().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theAdminListenerTakesLoopbackAppAndTheHostButNoOtherAddressOfFrontWhereverTheNetworksAreMoved()
            throws Exception {
        String yaml = java.nio.file.Files.readString(StackFiles.BALANCER_YML);
        for (Map<String, String> env : List.of(Map.<String, String>of(),
                Map.of("FOOBAR_APP_NET", "10.99.7", "FOOBAR_FRONT_NET", "10.99.6"))) {
            ComposeFile compose = ComposeFile.load(StackFiles.COMPOSE, env);
            for (String lb : List.of("lb-1", "lb-2")) {
                // compose gives the balancers the subnets balancer.yml's admin.allow names.
                Map<String, String> lbEnv = compose.environment(lb);
                AdminConfig admin = ConfigLoader.parse(yaml, lbEnv::get).admin();
                String app = lbEnv.get("FOOBAR_APP_NET");
                String front = lbEnv.get("FOOBAR_FRONT_NET");
                assertThat(app).isEqualTo(env.getOrDefault("FOOBAR_APP_NET", "10.213.7"));
                assertThat(front).isEqualTo(env.getOrDefault("FOOBAR_FRONT_NET", "10.213.6"));
                assertThat(admin.allow()).extracting(Cidr::toString)
                        .containsExactly("127.0.0.0/8", app + ".0/24", front + ".1/32");
                // The monitoring agent and the overview (on app) are let in; the VIP's clients on front are not,
                // whatever address they get, and neither are the balancers' own front addresses or the VIP.
                String agent = compose.service("agent-lb").path("networks").path("app").path("ipv4_address").asText();
                String overview = compose.service("overview").path("networks").path("app").path("ipv4_address").asText();
                assertThat(admits(admin, agent)).as("agent-lb %s", agent).isTrue();
                assertThat(admits(admin, overview)).as("overview %s", overview).isTrue();
                assertThat(admits(admin, front + ".1")).as("the host, through front's gateway").isTrue();
                for (String client : List.of(".10", ".11", ".12", ".53", ".128", ".200", ".254")) {
                    assertThat(admits(admin, front + client)).as("%s%s on front", front, client).isFalse();
                }
            }
        }
    }

    private static boolean admits(AdminConfig admin, String address) throws java.net.UnknownHostException {
        return admin.admits(java.net.InetAddress.getByName(address));
    }

    @Test
    void theAdminListenerIsWhatIsPublishedScrapedAndProbed() {
        int admin = config.admin().bind().port();
        assertThat(config.admin().bind().host()).as("Prometheus scrapes it from another container").isEqualTo("0.0.0.0");
        for (String lb : List.of("lb-1", "lb-2")) {
            assertThat(COMPOSE.ports(lb)).as(lb).anySatisfy(p -> {
                assertThat(p.hostIp()).isEqualTo("127.0.0.1");
                assertThat(p.containerPort()).isEqualTo(admin);
            });
            assertThat(COMPOSE.healthcheckCommand(lb)).as(lb).contains("http://127.0.0.1:" + admin + "/api/status");
        }
        assertThat(StackFiles.read(StackFiles.DOCKERFILE)).contains("http://127.0.0.1:" + admin + "/api/status");
    }

    @Test
    void routesWwwFoobarComAndTheBareDomainToTheWebPoolOverHttpsWithHsts() {
        ListenerConfig listener = listener("https");
        assertThat(listener.hsts()).isEqualTo("max-age=31536000; includeSubDomains");
        List<String> hosts = new ArrayList<>();
        for (RouteConfig r : listener.routes()) {
            hosts.addAll(r.hosts());
            assertThat(r.pool()).isEqualTo("web");
        }
        assertThat(hosts).contains("www.foobar.com", "foobar.com");
        assertThat(listener.defaultPool()).as("curl https://localhost/ must work too").isEqualTo("web");
    }

    @Test
    void thePoolsServersAreTheWebServicesOnTheirPortsUnderTheirNames() {
        PoolConfig web = config.pools().get("web");
        assertThat(web).isNotNull();
        List<String> names = new ArrayList<>();
        for (ServerConfig server : web.servers()) {
            names.add(server.name());
            String service = server.address().host();
            Map<String, String> env = COMPOSE.environment(service);
            assertThat(server.name()).as("X-Served-By, the metrics' server label and the service agree")
                    .isEqualTo(service).isEqualTo(env.get("FOOBAR_NAME"));
            assertThat(server.address().port()).isEqualTo(Integer.parseInt(env.get("FOOBAR_PORT")));
            assertThat(server.backup()).isFalse();
            for (String lb : List.of("lb-1", "lb-2")) {
                List<String> shared = new ArrayList<>(COMPOSE.networks(lb));
                shared.retainAll(COMPOSE.networks(service));
                assertThat(shared).as("%s reaches %s on app", lb, service).contains("app");
            }
        }
        assertThat(names).containsExactly("web-1", "web-2");
    }

    @Test
    void healthChecksAskTheWebServersLivenessEndpoint() {
        PoolConfig web = config.pools().get("web");
        assertThat(web.healthCheck()).isNotNull();
        assertThat(web.healthCheck().path()).isIn(WebAppContract.HEALTH, WebAppContract.READY);
        assertThat(web.healthCheck().interval()).isPositive();
    }
}
