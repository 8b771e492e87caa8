package com.foobar.docker;

import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.config.ListenerConfig;
import com.foobar.balancer.config.RouteConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The k6 scripts: both exist, both honour BASE_URL and HOST_HEADER (through lib.js), and the compose k6 service points
 * them at the balancers' public listener on the virtual IP (so a failover shows in a run) with a Host they route. `node --check` (in .ci/run) checks the syntax.
 */
class K6ScriptsContractTest {
    private static final ComposeFile COMPOSE = ComposeFile.load(StackFiles.COMPOSE);

    @Test
    void smokeAndLoadShareTheEnvironmentDrivenRequestHelpers() {
        String lib = StackFiles.read(StackFiles.K6.resolve("lib.js"));
        assertThat(lib).contains("__ENV.BASE_URL").contains("__ENV.HOST_HEADER").contains("X-Served-By");
        for (String script : List.of("smoke.js", "load.js")) {
            assertThat(StackFiles.read(StackFiles.K6.resolve(script))).as(script).contains("from './lib.js'")
                    .contains("everyServerAnswers()").contains("handleSummary");
        }
        String load = StackFiles.read(StackFiles.K6.resolve("load.js"));
        assertThat(load).contains("ramping-vus").contains("http_req_failed: ['rate<0.001']").contains("p(95)<")
                .contains("'/api/orders'").contains("own_order_visible");
    }

    @Test
    void composePointsK6AtTheHttpsListenerByTheNameTheZoneAnswersWithTheVirtualIp() throws Exception {
        Map<String, String> env = COMPOSE.environment("k6");
        URI base = URI.create(env.get("BASE_URL"));
        var config = ConfigLoader.load(StackFiles.BALANCER_YML);
        // HTTPS on its default port: port 80 only redirects.
        assertThat(base.getScheme()).isEqualTo("https");
        assertThat(base.getPort()).isEqualTo(-1);
        ListenerConfig https = config.listeners().stream().filter(l -> l.tls() != null).findFirst().orElseThrow();
        assertThat(https.bind().port()).isEqualTo(443);
        List<String> routed = new ArrayList<>();
        for (RouteConfig r : https.routes()) {
            routed.addAll(r.hosts());
        }
        assertThat(routed).contains(base.getHost(), env.get("HOST_HEADER"));
        // The name is the VIP's through the site's zone: k6 asks the dns service, which answers with the VIP that
        // keepalived moves.
        String vip = COMPOSE.environment("keepalived-1").get("KEEPALIVED_VIP");
        assertThat(vip).isEqualTo(COMPOSE.environment("keepalived-2").get("KEEPALIVED_VIP"));
        List<String> dnsCommand = new ArrayList<>();
        COMPOSE.service("dns").path("command").forEach(c -> dnsCommand.add(c.asText()));
        assertThat(dnsCommand.get(dnsCommand.indexOf("--address") + 1)).isEqualTo(vip);
        assertThat(COMPOSE.service("k6").path("dns").get(0).asText())
                .isEqualTo(COMPOSE.service("dns").path("networks").path("front").path("ipv4_address").asText());
        assertThat(env).containsEntry("K6_INSECURE_SKIP_TLS_VERIFY", "true");
        assertThat(COMPOSE.networks("k6")).containsExactly("front");
        assertThat(COMPOSE.networks("lb-1")).contains("front");
        assertThat(COMPOSE.networks("lb-2")).contains("front");
    }

    @Test
    void theDefaultCommandRunsAScriptThatExists() {
        List<String> command = new ArrayList<>();
        COMPOSE.service("k6").path("command").forEach(c -> command.add(c.asText()));
        assertThat(command).hasSize(2).startsWith("run");
        String script = command.get(1);
        assertThat(script).startsWith("/scripts/");
        assertThat(StackFiles.K6.resolve(script.substring("/scripts/".length()))).exists();
        assertThat(StackFiles.K6.resolve("load.js")).exists();
    }
}
