package com.foobar.balancer.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    /** A valid configuration the invalid cases below are variations of. */
    private static final String BASE = """
            listeners:
              - name: public
                bind: 127.0.0.1:8080
                routes:
                  - { hosts: [www.foobar.com], pool: web }
            pools:
              web:
                servers:
                  - { name: web-1, address: 127.0.0.1:8081 }
                  - { name: web-2, address: 127.0.0.1:8082 }
            """;

    private static String resource(String name) throws IOException {
        try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheContractConfigurationOutsideChecksRelyOn() throws Exception {
        BalancerConfig cfg = ConfigLoader.parse(resource("contract.yml"));

        assertThat(cfg.listeners()).hasSize(1);
        ListenerConfig l = cfg.listeners().get(0);
        assertThat(l.name()).isEqualTo("public");
        assertThat(l.bind()).isEqualTo(new HostPort("127.0.0.1", 8080));
        assertThat(l.routes()).containsExactly(new RouteConfig(List.of("www.foobar.com", "foobar.com"), "/", "web"));
        assertThat(l.defaultPool()).isEqualTo("web");

        PoolConfig web = cfg.pools().get("web");
        assertThat(web.algorithm()).isEqualTo("round-robin");
        assertThat(web.hashKey()).isEqualTo("source-ip");
        assertThat(web.servers()).containsExactly(
                new ServerConfig("web-1", HostPort.parse("127.0.0.1:8081"), 1, false),
                new ServerConfig("web-2", HostPort.parse("127.0.0.1:8082"), 1, false),
                new ServerConfig("sorry", HostPort.parse("127.0.0.1:8089"), 1, true));
        HealthCheckConfig hc = web.healthCheck();
        assertThat(hc.path()).isEqualTo("/health");
        assertThat(hc.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(hc.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(hc.rise()).isEqualTo(2);
        assertThat(hc.fall()).isEqualTo(2);
        assertThat(hc.expectStatus().contains(200)).isTrue();
        assertThat(hc.expectStatus().contains(399)).isTrue();
        assertThat(hc.expectStatus().contains(400)).isFalse();
        assertThat(hc.host()).isNull();
        assertThat(web.outlierDetection().consecutiveFailures()).isEqualTo(5);
        assertThat(web.outlierDetection().consecutive5xx()).isEqualTo(5);
        assertThat(web.outlierDetection().baseEjectionTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(web.outlierDetection().maxEjectionPercent()).isEqualTo(50);
        assertThat(web.slowStart()).isEqualTo(Duration.ZERO);
        assertThat(web.retries()).isEqualTo(2);
        assertThat(web.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(web.responseTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(web.keepAlive()).isEqualTo(new KeepAliveConfig(256, Duration.ofSeconds(60)));
        assertThat(web.proxyHeaders()).isEqualTo(ProxyHeadersConfig.DEFAULT);

        assertThat(cfg.admin().bind()).isEqualTo(new HostPort("127.0.0.1", 9090));
        assertThat(cfg.clientTimeouts()).isEqualTo(new ClientTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofHours(1)));
        assertThat(cfg.accessLog()).isEqualTo(AccessLogConfig.STDOUT);
    }

    @Test
    void theExampleFileIsValid() throws Exception {
        Path example = Path.of("balancer.example.yml");
        BalancerConfig cfg = ConfigLoader.load(example);
        assertThat(cfg.pools().keySet()).containsExactly("web", "api");
        assertThat(cfg.pools().get("api").hashKey()).isEqualTo("header:X-User-Id");
        assertThat(cfg.pools().get("api").healthCheck().expectStatus().contains(204)).isTrue();
        assertThat(cfg.pools().get("api").healthCheck().expectStatus().contains(201)).isFalse();
        assertThat(cfg.listeners().get(0).routes().get(0).pathPrefix()).isEqualTo("/api/");
    }

    @Test
    void fillsDefaultsForOmittedKeys() throws Exception {
        BalancerConfig cfg = ConfigLoader.parse(BASE);
        PoolConfig web = cfg.pools().get("web");
        assertThat(web.algorithm()).isEqualTo(PoolConfig.DEFAULT_ALGORITHM);
        assertThat(web.hashKey()).isNull();
        assertThat(web.healthCheck()).isNull();
        assertThat(web.outlierDetection()).isEqualTo(OutlierDetectionConfig.DEFAULT);
        assertThat(web.slowStart()).isEqualTo(Duration.ZERO);
        assertThat(web.retries()).isEqualTo(2);
        assertThat(web.servers()).allSatisfy(s -> {
            assertThat(s.weight()).isEqualTo(1);
            assertThat(s.backup()).isFalse();
        });
        assertThat(cfg.listeners().get(0).routes().get(0).pathPrefix()).isEqualTo("/");
        assertThat(cfg.listeners().get(0).defaultPool()).isNull();
        assertThat(cfg.admin()).isEqualTo(AdminConfig.DEFAULT);
        assertThat(cfg.clientTimeouts()).isEqualTo(ClientTimeouts.DEFAULT);
        assertThat(cfg.accessLog()).isEqualTo(AccessLogConfig.DEFAULT);
    }

    @Test
    void readsProxyHeadersWithAnEmptyForwardedListMeaningNone() throws Exception {
        PoolConfig lean = ConfigLoader.parse(BASE + "    proxy_headers: { forwarded: [], via: false }\n")
                .pools().get("web");
        assertThat(lean.proxyHeaders()).isEqualTo(new ProxyHeadersConfig(false, false, false, false, false, true));
        PoolConfig some = ConfigLoader.parse(BASE + "    proxy_headers: { forwarded: [for, PORT], request_id: false }\n")
                .pools().get("web");
        assertThat(some.proxyHeaders()).isEqualTo(new ProxyHeadersConfig(true, false, false, true, true, false));
    }

    @Test
    void keepsPoolsInDeclarationOrder() throws Exception {
        String yaml = BASE + """
                  zeta:
                    servers: [{ name: z, address: 127.0.0.1:9001 }]
                  alpha:
                    servers: [{ name: a, address: 127.0.0.1:9002 }]
                """;
        assertThat(ConfigLoader.parse(yaml).pools().keySet()).containsExactly("web", "zeta", "alpha");
    }

    @Test
    void healthCheckDefaultsFollowHaproxy() throws Exception {
        HealthCheckConfig hc = ConfigLoader.parse(BASE + "    health_check: {}\n").pools().get("web").healthCheck();
        assertThat(hc).isEqualTo(new HealthCheckConfig("/", Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3,
                StatusRanges.DEFAULT, null));
    }

    @Test
    void readsAccessLogTargets(@TempDir Path dir) throws Exception {
        assertThat(ConfigLoader.parse(BASE + "access_log: off\n").accessLog()).isEqualTo(AccessLogConfig.OFF);
        assertThat(ConfigLoader.parse(BASE + "access_log: \"off\"\n").accessLog()).isEqualTo(AccessLogConfig.OFF);
        Path file = dir.resolve("access.log");
        assertThat(ConfigLoader.parse(BASE + "access_log: " + file + "\n").accessLog())
                .isEqualTo(AccessLogConfig.file(file));
    }

    @Test
    void readsDurationsInEveryUnit() throws Exception {
        String yaml = BASE + """
                    slow_start: 1m30s
                    connect_timeout: 250ms
                    response_timeout: 2m
                client_timeouts: { header: 1.5s, idle: 1h, send: 45s }
                """;
        BalancerConfig cfg = ConfigLoader.parse(yaml);
        assertThat(cfg.pools().get("web").slowStart()).isEqualTo(Duration.ofSeconds(90));
        assertThat(cfg.pools().get("web").connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(cfg.pools().get("web").responseTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(cfg.clientTimeouts().header()).isEqualTo(Duration.ofMillis(1500));
        assertThat(cfg.clientTimeouts().idle()).isEqualTo(Duration.ofHours(1));
        assertThat(cfg.clientTimeouts().send()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void lowerCasesRouteHostsAndAcceptsIpv6Binds() throws Exception {
        String yaml = BASE.replace("[www.foobar.com]", "[WWW.Foobar.COM]").replace("127.0.0.1:8080", "\"[::1]:0\"");
        BalancerConfig cfg = ConfigLoader.parse(yaml);
        assertThat(cfg.listeners().get(0).routes().get(0).hosts()).containsExactly("www.foobar.com");
        assertThat(cfg.listeners().get(0).bind()).isEqualTo(new HostPort("::1", 0));
        assertThat(cfg.listeners().get(0).bind().toString()).isEqualTo("[::1]:0");
    }

    @Test
    void loadNamesAMissingFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yml");
        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void loadReadsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("b.yml");
        Files.writeString(file, BASE);
        assertThat(ConfigLoader.load(file).pools()).containsKey("web");
    }

    @Test
    void workersAreANumberOrAutoForOnePerCore() throws Exception {
        assertThat(ConfigLoader.parse(BASE).workers()).isEqualTo(BalancerConfig.AUTO_WORKERS);
        assertThat(ConfigLoader.parse(BASE).workerCount()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(ConfigLoader.parse(BASE + "workers: auto\n").workers()).isEqualTo(BalancerConfig.AUTO_WORKERS);
        assertThat(ConfigLoader.parse(BASE + "workers: 3\n").workerCount()).isEqualTo(3);
    }

    static Stream<Arguments> invalidConfigurations() {
        return Stream.of(
                Arguments.of("a server address that is not host:port",
                        BASE.replace("127.0.0.1:8082", "web-2:80x"),
                        "pools.web.servers[1].address: \"web-2:80x\" is not host:port"),
                Arguments.of("a port out of range",
                        BASE.replace("127.0.0.1:8082", "127.0.0.1:70000"),
                        "pools.web.servers[1].address: \"127.0.0.1:70000\": \"70000\" is not a port number (1-65535)"),
                Arguments.of("a server without a port",
                        BASE.replace("127.0.0.1:8082", "127.0.0.1:0"),
                        "pools.web.servers[1].address: \"127.0.0.1:0\": \"0\" is not a port number (1-65535)"),
                Arguments.of("workers out of range",
                        BASE + "workers: 0\n",
                        "workers: 0 is out of range 1-256"),
                Arguments.of("workers that are not a number",
                        BASE + "workers: many\n",
                        "workers: \"many\" is not a number of workers or auto"),
                Arguments.of("a listener bind with a port out of range (0 would pick any free one)",
                        BASE.replace("127.0.0.1:8080", "127.0.0.1:80800"),
                        "listeners[0].bind: \"127.0.0.1:80800\": \"80800\" is not a port number"
                                + " (0-65535, 0 for any free port)"),
                Arguments.of("a listener bind that is not host:port",
                        BASE.replace("127.0.0.1:8080", "8080"),
                        "listeners[0].bind: \"8080\" is not host:port"),
                Arguments.of("a misspelt required key is named as unknown, not as missing",
                        BASE.replace("pools:", "pool:"),
                        "pool: is not a known key (did you mean pools?)"),
                Arguments.of("a misspelt required server key",
                        BASE.replace("address: 127.0.0.1:8082", "adress: 127.0.0.1:8082"),
                        "pools.web.servers[1].adress: is not a known key (did you mean address?)"),
                Arguments.of("a required key left out, with no key like it",
                        BASE.replace("address: 127.0.0.1:8082", "weight: 2"),
                        "pools.web.servers[1].address: is required"),
                Arguments.of("an unknown top-level key",
                        BASE + "frontends: []\n",
                        "frontends: is not a known key (known here: access_log, admin, client_timeouts, data_dir, dns, listeners, pools, trusted_proxies, workers)"),
                Arguments.of("an unknown pool key (a typo)",
                        BASE + "    retry: 3\n",
                        "pools.web.retry: is not a known key (known here: algorithm, connect_timeout, discover, hash_key, "
                                + "health_check, keepalive, outlier_detection, proxy_headers, resolve_interval, "
                                + "response_timeout, retries, servers, slow_start)"),
                Arguments.of("an unknown server key",
                        BASE.replace("address: 127.0.0.1:8082", "address: 127.0.0.1:8082, wieght: 2"),
                        "pools.web.servers[1].wieght: is not a known key (known here: address, backup, name, weight)"),
                Arguments.of("an unknown algorithm",
                        BASE + "    algorithm: fastest\n",
                        "pools.web.algorithm: \"fastest\" is not a known algorithm (known: round-robin, "
                                + "weighted-round-robin, least-connections, ip-hash, consistent-hash, random, "
                                + "power-of-two-choices, peak-ewma)"),
                Arguments.of("a duration without a unit",
                        BASE + "    connect_timeout: 5\n",
                        "pools.web.connect_timeout: 5 is not a duration like 500ms, 1s, 2m or 1h30m"),
                Arguments.of("a duration with an unknown unit",
                        BASE + "    response_timeout: 3 days\n",
                        "pools.web.response_timeout: \"3 days\" is not a duration like 500ms, 1s, 2m or 1h30m"),
                Arguments.of("a health check interval that is not a duration",
                        BASE + "    health_check: { path: /health, interval: often }\n",
                        "pools.web.health_check.interval: \"often\" is not a duration like 500ms, 1s, 2m or 1h30m"),
                Arguments.of("an expect_status that is not a status list",
                        BASE + "    health_check: { expect_status: ok }\n",
                        "pools.web.health_check.expect_status: \"ok\" is not a status list like 200-399 or 200,204"),
                Arguments.of("an expect_status range out of bounds",
                        BASE + "    health_check: { expect_status: 200-700 }\n",
                        "pools.web.health_check.expect_status: \"200-700\" is not a status range within 100-599"),
                Arguments.of("a reversed expect_status range",
                        BASE + "    health_check: { expect_status: \"399-200\" }\n",
                        "pools.web.health_check.expect_status: \"399-200\" is not a status range within 100-599"),
                Arguments.of("a health check path without a slash",
                        BASE + "    health_check: { path: health }\n",
                        "pools.web.health_check.path: \"health\" is not a URL path starting with /"),
                Arguments.of("rise of zero",
                        BASE + "    health_check: { rise: 0 }\n",
                        "pools.web.health_check.rise: 0 is out of range 1-100"),
                Arguments.of("a route to an unknown pool",
                        BASE.replace("pool: web }", "pool: www }"),
                        "listeners[0].routes[0].pool: \"www\" is not a defined pool (defined: web)"),
                Arguments.of("a default_pool that does not exist",
                        BASE.replace("    routes:", "    default_pool: api\n    routes:"),
                        "listeners[0].default_pool: \"api\" is not a defined pool (defined: web)"),
                Arguments.of("duplicate server names",
                        BASE.replace("name: web-2", "name: web-1"),
                        "pools.web.servers[1].name: \"web-1\" is a duplicate server name (first at pools.web.servers[0].name)"),
                Arguments.of("two servers at one address",
                        BASE.replace("127.0.0.1:8082", "127.0.0.1:8081"),
                        "pools.web.servers[1].address: \"127.0.0.1:8081\" is already the address of server \"web-1\""),
                Arguments.of("weight zero",
                        BASE.replace("address: 127.0.0.1:8082", "address: 127.0.0.1:8082, weight: 0"),
                        "pools.web.servers[1].weight: 0 is less than 1"),
                Arguments.of("a negative weight",
                        BASE.replace("address: 127.0.0.1:8082", "address: 127.0.0.1:8082, weight: -3"),
                        "pools.web.servers[1].weight: -3 is less than 1"),
                Arguments.of("a weight above the maximum",
                        BASE.replace("address: 127.0.0.1:8082", "address: 127.0.0.1:8082, weight: 1000"),
                        "pools.web.servers[1].weight: 1000 is out of range 1-256"),
                Arguments.of("a fractional weight",
                        BASE.replace("address: 127.0.0.1:8082", "address: 127.0.0.1:8082, weight: 1.5"),
                        "pools.web.servers[1].weight: 1.5 is not a whole number"),
                Arguments.of("a hash_key of unknown kind",
                        BASE + "    algorithm: consistent-hash\n    hash_key: query:id\n",
                        "pools.web.hash_key: \"query:id\" is not a hash key (header:NAME, cookie:NAME, path or source-ip)"),
                Arguments.of("a hash_key header without a name",
                        BASE + "    algorithm: consistent-hash\n    hash_key: \"header:\"\n",
                        "pools.web.hash_key: \"header:\" needs a name after the colon"),
                Arguments.of("a hash_key cookie name with a space",
                        BASE + "    algorithm: consistent-hash\n    hash_key: \"cookie:my session\"\n",
                        "pools.web.hash_key: \"cookie:my session\" has a name that is not an HTTP token"),
                Arguments.of("backup that is not a boolean",
                        BASE.replace("address: 127.0.0.1:8082", "address: 127.0.0.1:8082, backup: maybe"),
                        "pools.web.servers[1].backup: \"maybe\" is not true or false"),
                Arguments.of("a pool without servers",
                        BASE.replace("""
                                    servers:
                                      - { name: web-1, address: 127.0.0.1:8081 }
                                      - { name: web-2, address: 127.0.0.1:8082 }
                                """, "    servers: []\n"),
                        "pools.web.servers: must list at least one server"),
                Arguments.of("a server without an address",
                        BASE.replace("{ name: web-2, address: 127.0.0.1:8082 }", "{ name: web-2 }"),
                        "pools.web.servers[1].address: is required"),
                Arguments.of("servers given as a mapping",
                        BASE.replace("""
                                    servers:
                                      - { name: web-1, address: 127.0.0.1:8081 }
                                      - { name: web-2, address: 127.0.0.1:8082 }
                                """, "    servers: { web-1: 127.0.0.1:8081 }\n"),
                        "pools.web.servers: must be a list, not a mapping"),
                Arguments.of("no listeners",
                        BASE.replace("""
                                listeners:
                                  - name: public
                                    bind: 127.0.0.1:8080
                                    routes:
                                      - { hosts: [www.foobar.com], pool: web }
                                """, ""),
                        "listeners: is required"),
                Arguments.of("a listener with neither routes nor default_pool",
                        BASE.replace("""
                                    routes:
                                      - { hosts: [www.foobar.com], pool: web }
                                """, ""),
                        "listeners[0].routes: is required unless default_pool or redirect_to_https is set"),
                Arguments.of("duplicate listener names",
                        BASE.replace("pools:", """
                                  - name: public
                                    bind: 127.0.0.1:8443
                                    default_pool: web
                                pools:"""),
                        "listeners[1].name: \"public\" is a duplicate listener name (first at listeners[0].name)"),
                Arguments.of("two listeners on one bind",
                        BASE.replace("pools:", """
                                  - name: other
                                    bind: 127.0.0.1:8080
                                    default_pool: web
                                pools:"""),
                        "listeners[1].bind: \"127.0.0.1:8080\" is already bound by listeners[0]"),
                Arguments.of("admin on a listener's bind",
                        BASE + "admin: { bind: 127.0.0.1:8080 }\n",
                        "admin.bind: \"127.0.0.1:8080\" is already bound by listeners[0]"),
                Arguments.of("a route host with a port",
                        BASE.replace("[www.foobar.com]", "[www.foobar.com, \"foobar.com:8080\"]"),
                        "listeners[0].routes[0].hosts[1]: \"foobar.com:8080\" must be a host name without a port"),
                Arguments.of("a path_prefix without a slash",
                        BASE.replace("pool: web }", "pool: web, path_prefix: api }"),
                        "listeners[0].routes[0].path_prefix: \"api\" is not a URL path starting with /"),
                Arguments.of("retries above the maximum",
                        BASE + "    retries: 50\n",
                        "pools.web.retries: 50 is out of range 0-10"),
                Arguments.of("max_ejection_percent above 100",
                        BASE + "    outlier_detection: { max_ejection_percent: 150 }\n",
                        "pools.web.outlier_detection.max_ejection_percent: 150 is out of range 0-100"),
                Arguments.of("an unknown outlier_detection key",
                        BASE + "    outlier_detection: { consecutive_gateway_failures: 3 }\n",
                        "pools.web.outlier_detection.consecutive_gateway_failures: is not a known key (known here: "
                                + "base_ejection_time, consecutive_5xx, consecutive_failures, max_ejection_percent, "
                                + "max_ejection_time)"),
                Arguments.of("consecutive_5xx above the maximum",
                        BASE + "    outlier_detection: { consecutive_5xx: 1001 }\n",
                        "pools.web.outlier_detection.consecutive_5xx: 1001 is out of range 0-1000"),
                Arguments.of("an unknown keepalive key",
                        BASE + "    keepalive: { max: 3 }\n",
                        "pools.web.keepalive.max: is not a known key (known here: idle_timeout, max_idle)"),
                Arguments.of("an unknown forwarded header",
                        BASE + "    proxy_headers: { forwarded: [for, real-ip] }\n",
                        "pools.web.proxy_headers.forwarded[1]: \"real-ip\" is not one of for, proto, host, port"),
                Arguments.of("a proxy_headers switch that is no boolean",
                        BASE + "    proxy_headers: { via: maybe }\n",
                        "pools.web.proxy_headers.via: \"maybe\" is not true or false"),
                Arguments.of("a send timeout that is no duration",
                        BASE + "client_timeouts: { send: soon }\n",
                        "client_timeouts.send: \"soon\" is not a duration like 500ms, 1s, 2m or 1h30m"),
                Arguments.of("an unknown client_timeouts key",
                        BASE + "client_timeouts: { read: 5s }\n",
                        "client_timeouts.read: is not a known key (known here: header, idle, send, tunnel)"),
                Arguments.of("a pool name with a space",
                        BASE.replace("  web:\n", "  \"my web\":\n").replace("pool: web }", "pool: \"my web\" }"),
                        "pools.my web: \"my web\" is not a valid pool name (letters, digits, '-', '_', '.')"),
                Arguments.of("an empty document",
                        "# nothing here\n",
                        "the configuration is empty"),
                Arguments.of("a document that is a list",
                        "- a\n- b\n",
                        "must be a mapping, not a list"),
                Arguments.of("a duplicate key",
                        BASE + "admin: { bind: 127.0.0.1:9090 }\nadmin: { bind: 127.0.0.1:9091 }\n",
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigurations")
    void rejectsWithTheFieldPathAndReason(String what, String yaml, String expected) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigException ce = (ConfigException) e;
                    if (expected != null) {
                        assertThat(ce.getMessage()).isEqualTo(expected);
                    } else {
                        assertThat(ce.getMessage()).startsWith("line ").contains("invalid YAML").contains("admin");
                    }
                    assertThat(ce.getMessage()).isEqualTo(ce.path().isEmpty() ? ce.reason() : ce.path() + ": " + ce.reason());
                    assertThat(ce.getStackTrace()).as("errors are for users, not stack traces").isEmpty();
                });
    }

    @Test
    void hostPortParsesAndPrints() {
        assertThat(HostPort.parse("web-1:8081")).isEqualTo(new HostPort("web-1", 8081));
        assertThat(HostPort.parse("[::1]:9090")).isEqualTo(new HostPort("::1", 9090));
        assertThat(HostPort.parse("[::1]:9090").toString()).isEqualTo("[::1]:9090");
        for (String bad : List.of("web", ":80", "web:", "web:-1", "a:b:c", "[::1]80", "we b:80", "web:8 0")) {
            assertThatThrownBy(() -> HostPort.parse(bad)).hasMessage("\"" + bad + "\" is not host:port");
        }
    }

    @Test
    void statusRangesMixRangesAndCodes() {
        StatusRanges r = StatusRanges.parse("200-204, 302");
        assertThat(r.contains(200)).isTrue();
        assertThat(r.contains(204)).isTrue();
        assertThat(r.contains(205)).isFalse();
        assertThat(r.contains(302)).isTrue();
        assertThat(r.contains(301)).isFalse();
        assertThat(r.contains(-1)).isFalse();
        assertThat(r.contains(9999)).isFalse();
    }

    @Test
    void durationsFormatShortest() {
        assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Durations.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("10")).isNull();
        assertThat(Durations.parse("ms")).isNull();
    }
}
