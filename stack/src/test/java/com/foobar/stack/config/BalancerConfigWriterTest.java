package com.foobar.stack.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.foobar.webapp.web.ShopServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BalancerConfigWriterTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final BalancerConfigWriter writer = new BalancerConfigWriter("0.0.0.0:8080", "127.0.0.1:9090", List.of(
            new BalancerConfigWriter.Server("web-1", "127.0.0.1:8081"),
            new BalancerConfigWriter.Server("web-2", "127.0.0.1:8082")));

    @Test
    void routesBothShopHostsToTheWebPoolWithRoundRobinAndHealthChecks() throws Exception {
        JsonNode config = YAML.readTree(writer.render());

        JsonNode listener = config.path("listeners").path(0);
        assertThat(listener.path("bind").asText()).isEqualTo("0.0.0.0:8080");
        JsonNode route = listener.path("routes").path(0);
        assertThat(route.path("hosts")).extracting(JsonNode::asText).containsExactly("www.foobar.com", "foobar.com");
        assertThat(route.path("pool").asText()).isEqualTo("web");
        assertThat(listener.has("default_pool")).isFalse();

        JsonNode pool = config.path("pools").path("web");
        assertThat(pool.path("algorithm").asText()).isEqualTo("round-robin");
        assertThat(pool.path("servers")).hasSize(2);
        assertThat(pool.path("servers").path(0).path("name").asText()).isEqualTo("web-1");
        assertThat(pool.path("servers").path(0).path("address").asText()).isEqualTo("127.0.0.1:8081");
        assertThat(pool.path("servers").path(1).path("name").asText()).isEqualTo("web-2");
        assertThat(pool.path("servers").path(1).path("address").asText()).isEqualTo("127.0.0.1:8082");
        JsonNode health = pool.path("health_check");
        assertThat(health.path("path").asText()).isEqualTo("/health");
        assertThat(health.path("interval").asText()).isEqualTo("1s");
        assertThat(health.path("timeout").asText()).isEqualTo("500ms");
        assertThat(health.path("rise").asInt()).isEqualTo(2);
        assertThat(health.path("fall").asInt()).isEqualTo(2);
        assertThat(health.path("expect_status").asText()).isEqualTo("200-399");
        assertThat(pool.path("retries").asInt()).isEqualTo(2);
        assertThat(pool.path("keepalive").path("idle_timeout").asText()).as("below the webapp's idle timeout")
                .isEqualTo("20s");
        assertThat(BalancerConfigWriter.BACKEND_IDLE_TIMEOUT).isLessThan(ShopServer.IDLE_TIMEOUT);

        assertThat(config.path("admin").path("bind").asText()).isEqualTo("127.0.0.1:9090");
        assertThat(config.path("access_log").asText()).isEqualTo("stdout");
    }

    @Test
    void theFileExplainsItselfToTheReader() {
        assertThat(writer.render()).startsWith("# The balancer configuration of the foobar stack")
                .contains("reloads it on save", "--balancer-config FILE");
    }

    @Test
    void writingReplacesTheFileInOneStepAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("balancer.yml");
        Files.writeString(file, "stale: true\n");

        writer.writeTo(file);

        assertThat(file).hasContent(writer.render().stripTrailing());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
                    .containsExactly("balancer.yml");
        }
    }

    @Test
    void everyWebInstanceBecomesAServer() throws Exception {
        BalancerConfigWriter three = new BalancerConfigWriter("0.0.0.0:80", "127.0.0.1:9090", List.of(
                new BalancerConfigWriter.Server("web-1", "127.0.0.1:8081"),
                new BalancerConfigWriter.Server("web-2", "127.0.0.1:8082"),
                new BalancerConfigWriter.Server("web-3", "127.0.0.1:8083")));

        JsonNode servers = YAML.readTree(three.render()).path("pools").path("web").path("servers");

        assertThat(servers).extracting(s -> s.path("name").asText()).containsExactly("web-1", "web-2", "web-3");
        assertThat(servers).extracting(s -> s.path("weight").asInt()).containsExactly(1, 1, 1);
    }
}
