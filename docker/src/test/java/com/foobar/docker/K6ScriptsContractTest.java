package com.foobar.docker;

import com.foobar.balancer.config.ConfigLoader;
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
    void composePointsK6AtThePublicListenerOnTheVirtualIp() throws Exception {
        Map<String, String> env = COMPOSE.environment("k6");
        URI base = URI.create(env.get("BASE_URL"));
        var config = ConfigLoader.load(StackFiles.BALANCER_YML);
        assertThat(base.getHost()).as("the VIP keepalived moves").isEqualTo(COMPOSE.environment("keepalived-1").get("KEEPALIVED_VIP"))
                .isEqualTo(COMPOSE.environment("keepalived-2").get("KEEPALIVED_VIP"));
        assertThat(base.getPort()).isEqualTo(config.listeners().get(0).bind().port());
        List<String> routed = new ArrayList<>();
        for (RouteConfig r : config.listeners().get(0).routes()) {
            routed.addAll(r.hosts());
        }
        assertThat(routed).contains(env.get("HOST_HEADER"));
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
