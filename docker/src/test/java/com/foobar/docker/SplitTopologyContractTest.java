package com.foobar.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.webapp.WebAppConfig;
import com.foobar.webapp.net.TrustedProxies;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * compose.split.yaml, the web server / application server split, as compose merges it over compose.yaml: nginx-N in
 * front of web-N at a fixed app address, the balancers' pool on the nginx servers (balancer-split.yml, which may differ
 * from balancer.yml in nothing else), and web-N trusting its own nginx instead of the balancers. Each check runs on
 * the files as shipped and with FOOBAR_APP_NET moved.
 */
class SplitTopologyContractTest {
    private static final Path SPLIT = StackFiles.DOCKER.resolve("compose.split.yaml");
    private static final Path BALANCER_SPLIT = StackFiles.DOCKER.resolve("balancer-split.yml");
    private static final Path TEMPLATE = StackFiles.DOCKER.resolve("nginx/default.conf.template");
    private static final String APP = "app";
    private static final String CONFIG_IN_LB = "/etc/foobar/balancer.yml";
    private static final List<Integer> SERVERS = List.of(1, 2);
    private static final YAMLMapper YAML = new YAMLMapper();

    static Stream<Named<Map<String, String>>> variables() {
        return Stream.of(Named.of("as shipped", Map.of()),
                Named.of("FOOBAR_APP_NET=10.99.42", Map.of("FOOBAR_APP_NET", "10.99.42")));
    }

    private static ComposeFile merged(Map<String, String> variables) {
        return ComposeFile.load(StackFiles.COMPOSE, variables).overriddenBy(ComposeFile.load(SPLIT, variables));
    }

    @Test
    void theOverrideAddsOnlyTheNginxServersAndTouchesOnlyWhatTheSplitChanges() {
        ComposeFile base = ComposeFile.load(StackFiles.COMPOSE);
        ComposeFile split = ComposeFile.load(SPLIT);
        assertThat(base.serviceNames()).doesNotContain("nginx-1", "nginx-2");
        for (String service : split.serviceNames()) {
            if (service.startsWith("nginx-")) {
                continue;
            }
            assertThat(base.serviceNames()).as("%s is a service of compose.yaml", service).contains(service);
            List<String> keys = new ArrayList<>();
            split.service(service).fieldNames().forEachRemaining(keys::add);
            if (service.startsWith("web-")) {
                assertThat(keys).as(service).containsExactly("environment");
                assertThat(split.environment(service)).as(service).containsOnlyKeys("FOOBAR_TRUSTED_PROXIES");
            } else {
                assertThat(service).isIn("lb-1", "lb-2");
                assertThat(keys).as(service).containsExactlyInAnyOrder("volumes", "depends_on");
            }
        }
        assertThat(split.serviceNames()).contains("nginx-1", "nginx-2", "web-1", "web-2", "lb-1", "lb-2");
        assertThat(split.root().has("networks")).as("the split adds no network").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variables")
    void eachNginxSitsOnAppAtAFixedAddressBelowTheDynamicRangeAndProxiesItsOwnWebServer(Map<String, String> vars) {
        ComposeFile compose = merged(vars);
        JsonNode ipam = compose.at("/networks/app/ipam/config/0");
        TrustedProxiesContractTest.Ipv4Range subnet = TrustedProxiesContractTest.Ipv4Range.parse(ipam.path("subnet").asText());
        TrustedProxiesContractTest.Ipv4Range dynamic = TrustedProxiesContractTest.Ipv4Range.parse(ipam.path("ip_range").asText());
        Set<String> taken = new TreeSet<>();
        for (String service : compose.serviceNames()) {
            if (!service.startsWith("nginx-") && compose.namespaceOwner(service).equals(service)
                    && compose.ipv4AddressOn(service, APP) != null) {
                taken.add(compose.ipv4AddressOn(service, APP));
            }
        }
        for (int n : SERVERS) {
            String nginx = "nginx-" + n;
            String web = "web-" + n;
            assertThat(compose.networks(nginx)).as("%s networks", nginx).containsExactly(APP);
            String address = compose.ipv4AddressOn(nginx, APP);
            assertThat(address).as("%s has a fixed address on app", nginx).isNotNull();
            int a = TrustedProxiesContractTest.Ipv4Range.address(address);
            assertThat(subnet.containsAddress(a)).as("%s inside %s", address, subnet).isTrue();
            assertThat(dynamic.containsAddress(a)).as("%s outside ip_range %s", address, dynamic).isFalse();
            assertThat(taken.add(address)).as("%s: %s is taken already (%s)", nginx, address, taken).isTrue();

            Map<String, String> env = compose.environment(nginx);
            assertThat(env).containsEntry("FOOBAR_NAME", nginx)
                    .containsEntry("FOOBAR_APP_SERVER", web + ":" + compose.environment(web).get("FOOBAR_PORT"));
            assertThat(compose.dependsOn(nginx)).containsEntry(web, "service_healthy");
            // The balancers, by their addresses on app: the only peers whose X-Forwarded-For nginx believes.
            assertThat(List.of(env.get("FOOBAR_LB_1"), env.get("FOOBAR_LB_2"))).containsExactly(
                    compose.ipv4AddressOn("lb-1", APP), compose.ipv4AddressOn("lb-2", APP));
            assertThat(compose.service(nginx).path("read_only").asBoolean()).as("%s read_only", nginx).isTrue();
            assertThat(compose.service(nginx).path("image").asText()).isEqualTo("foobar/web-nginx:latest");
        }
        assertThat(compose.service("nginx-1").path("build").path("target").asText()).isEqualTo("web-nginx");
        assertThat(compose.service("nginx-2").has("build")).as("one builder per tag").isFalse();
    }

    @Test
    void everyVariableOfTheTemplateIsSetForEachNginxAndTheTemplateListensWhereThePoolPoints() throws Exception {
        String template = StackFiles.read(TEMPLATE);
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)}").matcher(template);
        Set<String> used = new TreeSet<>();
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).containsExactlyInAnyOrder("FOOBAR_NAME", "FOOBAR_APP_SERVER", "FOOBAR_LB_1", "FOOBAR_LB_2");
        ComposeFile compose = merged(Map.of());
        for (int n : SERVERS) {
            assertThat(compose.environment("nginx-" + n)).as("nginx-%d", n).containsKeys(used.toArray(new String[0]));
        }
        assertThat(template).contains("listen 8080;").contains("proxy_http_version 1.1;")
                .contains("proxy_set_header Connection \"\";").contains("keepalive 16;")
                .contains("proxy_set_header X-Forwarded-For $remote_addr;").contains("root /usr/share/foobar;");
        BalancerConfig split = ConfigLoader.load(BALANCER_SPLIT);
        assertThat(split.pools().get("web").servers()).extracting(s -> s.name() + "=" + s.address())
                .containsExactly("web-1=nginx-1:8080", "web-2=nginx-2:8080");
    }

    @Test
    void balancerSplitIsBalancerYmlWithOnlyThePoolsAddressesOnTheNginxServers() throws Exception {
        JsonNode original = YAML.readTree(StackFiles.BALANCER_YML.toFile());
        JsonNode split = YAML.readTree(BALANCER_SPLIT.toFile());
        ObjectNode expected = original.deepCopy();
        for (JsonNode server : expected.path("pools").path("web").path("servers")) {
            String address = server.path("address").asText();
            assertThat(address).matches("web-\\d+:8080");
            ((ObjectNode) server).put("address", address.replace("web-", "nginx-"));
        }
        assertThat(split).as("balancer-split.yml against balancer.yml with the pool on nginx-N").isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variables")
    void theBalancersRunWithBalancerSplitAndWaitForTheNginxServers(Map<String, String> vars) {
        ComposeFile compose = merged(vars);
        for (String lb : List.of("lb-1", "lb-2")) {
            assertThat(compose.bindSourceOf(lb, CONFIG_IN_LB)).as("%s mounts", lb).isEqualTo("./balancer-split.yml");
            assertThat(compose.volumes(lb).stream().filter(v -> v.split(":").length > 1
                    && v.split(":")[1].equals(CONFIG_IN_LB))).as("%s: one file at %s", lb, CONFIG_IN_LB).hasSize(1);
            assertThat(compose.volumes(lb)).as("%s keeps compose.yaml's other mounts", lb)
                    .anyMatch(v -> v.startsWith("lb-data:"));
            assertThat(compose.dependsOn(lb)).containsEntry("nginx-1", "service_healthy")
                    .containsEntry("nginx-2", "service_healthy");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variables")
    void eachWebServerTrustsItsOwnNginxInsteadOfTheBalancersAndKeepsTheRestOfItsList(Map<String, String> vars)
            throws Exception {
        ComposeFile base = ComposeFile.load(StackFiles.COMPOSE, vars);
        ComposeFile compose = merged(vars);
        List<String> balancers = List.of(compose.ipv4AddressOn("lb-1", APP) + "/32",
                compose.ipv4AddressOn("lb-2", APP) + "/32");
        for (int n : SERVERS) {
            String web = "web-" + n;
            String own = compose.ipv4AddressOn("nginx-" + n, APP);
            String other = compose.ipv4AddressOn("nginx-" + (3 - n), APP);
            TrustedProxies trusted = trusted(compose, web);
            // compose.yaml's list with the balancers swapped for nginx-N: a change there shows here.
            List<String> expected = new ArrayList<>(trusted(base, web).ranges());
            assertThat(expected).containsAll(balancers);
            expected.removeAll(balancers);
            expected.add(own + "/32");
            assertThat(trusted.ranges()).as("FOOBAR_TRUSTED_PROXIES of %s in the split", web)
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(trusted.contains(InetAddress.getByName(own))).isTrue();
            assertThat(trusted.contains(InetAddress.getByName(other))).as("%s trusts the other nginx", web).isFalse();
            for (String lb : balancers) {
                assertThat(trusted.contains(InetAddress.getByName(lb.replace("/32", ""))))
                        .as("%s still trusts a balancer, %s", web, lb).isFalse();
            }
        }
    }

    @Test
    void theImageIsTheOfficialNginxWithTheWebappsStaticFilesAndItsLocalStandInIsBuiltFromDebian() {
        String dockerfile = StackFiles.read(StackFiles.DOCKERFILE);
        assertThat(dockerfile).contains("ARG NGINX_IMAGE=nginx:")
                .contains("FROM scratch AS static-build\nCOPY --from=build /src/webapp/target/classes/com/foobar/webapp/public/static/ /static/")
                .contains("FROM static-${JARS} AS static")
                .contains("FROM ${NGINX_IMAGE} AS web-nginx\nCOPY --from=static /static/ /usr/share/foobar/static/")
                .contains("COPY docker/nginx/default.conf.template /etc/nginx/templates/default.conf.template");
        ComposeFile split = ComposeFile.load(SPLIT);
        assertThat(split.service("nginx-1").path("build").path("args").path("NGINX_IMAGE").asText())
                .startsWith("nginx:");
        assertThat(StackFiles.read(SPLIT)).contains("NGINX_IMAGE: ${FOOBAR_NGINX_IMAGE:-nginx:");
        ComposeFile local = ComposeFile.load(SPLIT, Map.of("FOOBAR_NGINX_IMAGE", "foobar-local/nginx:bookworm"));
        assertThat(local.service("nginx-1").path("build").path("args").path("NGINX_IMAGE").asText())
                .isEqualTo("foobar-local/nginx:bookworm");
        String script = StackFiles.read(StackFiles.DOCKER.resolve("local-images.sh"));
        assertThat(script).contains("build foobar-local/nginx:$SUITE local/nginx/Dockerfile local/nginx")
                .contains("export FOOBAR_NGINX_IMAGE=foobar-local/nginx:$SUITE FOOBAR_JARS=host");
        // Without a registry the Maven stage's JDK image cannot be had: the static files come from the checkout.
        assertThat(StackFiles.read(SPLIT)).contains("JARS: ${FOOBAR_JARS:-build}");
        ComposeFile hostJars = ComposeFile.load(SPLIT, Map.of("FOOBAR_JARS", "host"));
        assertThat(hostJars.service("nginx-1").path("build").path("args").path("JARS").asText()).isEqualTo("host");
        assertThat(StackFiles.read(StackFiles.DOCKER.resolve("local/nginx/Dockerfile")))
                .contains("apt-get install -y --no-install-recommends nginx gettext-base")
                .contains("ENTRYPOINT [\"/docker-entrypoint.sh\"]");
    }

    private static TrustedProxies trusted(ComposeFile compose, String web) {
        TrustedProxies t = WebAppConfig.fromArgs(new String[0], compose.environment(web)).trustedProxies();
        assertThat(t.isEmpty()).as("%s sets FOOBAR_TRUSTED_PROXIES", web).isFalse();
        return t;
    }
}
