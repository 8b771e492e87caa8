package com.foobar.balancer.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code dns} map and each pool's {@code resolve_interval}. */
class DnsConfigTest {
    private static final String BASE = """
            listeners: [{ name: public, bind: 127.0.0.1:8080, default_pool: web }]
            pools:
              web:
                servers:
                  - { name: web-1, address: web-1:8080 }
            """;

    @Test
    void defaultsAreTheSystemsNameServersAFiveSecondIntervalAndAOneSecondFloor() throws Exception {
        BalancerConfig cfg = ConfigLoader.parse(BASE);
        assertThat(cfg.dns()).isEqualTo(DnsConfig.DEFAULT);
        assertThat(cfg.dns().systemNameservers()).isTrue();
        assertThat(cfg.dns().minTtl()).isEqualTo(Duration.ofSeconds(1));
        assertThat(cfg.dns().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(cfg.pools().get("web").resolveInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void readsNameServersWithOrWithoutAPort() throws Exception {
        BalancerConfig cfg = ConfigLoader.parse(BASE + """
                dns:
                  nameservers: [10.0.0.2, "10.0.0.3:5353", "::1", "[fd00::53]:5353"]
                  min_ttl: 250ms
                  timeout: 500ms
                """);
        assertThat(cfg.dns().nameservers()).containsExactly(new HostPort("10.0.0.2", 53),
                new HostPort("10.0.0.3", 5353), new HostPort("::1", 53), new HostPort("fd00::53", 5353));
        assertThat(cfg.dns().minTtl()).isEqualTo(Duration.ofMillis(250));
        assertThat(cfg.dns().timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(ConfigLoader.parse(BASE + "dns: { nameservers: 127.0.0.11 }\n").dns().nameservers())
                .containsExactly(new HostPort("127.0.0.11", 53));
    }

    @Test
    void aZeroIntervalResolvesOnceAndAFloorAboveTheDefaultIntervalRaisesIt() throws Exception {
        assertThat(ConfigLoader.parse(BASE + "    resolve_interval: 0s\n").pools().get("web").resolveInterval())
                .isZero();
        assertThat(ConfigLoader.parse(BASE + "    resolve_interval: 30s\n").pools().get("web").resolveInterval())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(ConfigLoader.parse(BASE + "dns: { min_ttl: 10s }\n").pools().get("web").resolveInterval())
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anIpLiteralIsToldFromAName() {
        assertThat(HostPort.parse("127.0.0.1:80").isIpLiteral()).isTrue();
        assertThat(HostPort.parse("[::1]:80").isIpLiteral()).isTrue();
        assertThat(HostPort.parse("web-1:80").isIpLiteral()).isFalse();
        assertThat(HostPort.parse("1.2.3:80").isIpLiteral()).as("not four parts: a name").isFalse();
        assertThat(HostPort.parse("web-1:80").ipLiteral()).isNull();
    }

    @Test
    void aPoolMayTakeItsServersFromADiscoverNameAloneOrBesideConfiguredOnes() throws Exception {
        String discovered = """
                listeners: [{ name: public, bind: 127.0.0.1:8080, default_pool: web }]
                pools:
                  web:
                    discover: tasks.web:8080
                """;
        PoolConfig alone = ConfigLoader.parse(discovered).pools().get("web");
        assertThat(alone.discover()).isEqualTo(new HostPort("tasks.web", 8080));
        assertThat(alone.servers()).isEmpty();
        PoolConfig beside = ConfigLoader.parse(BASE + "    discover: tasks.web:8080\n").pools().get("web");
        assertThat(beside.servers()).extracting(ServerConfig::name).containsExactly("web-1");
        assertThat(ConfigLoader.parse(BASE).pools().get("web").discover()).isNull();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("a name server given by name",
                        BASE + "dns: { nameservers: [dns.example] }\n",
                        "dns.nameservers[0]: \"dns.example\" is not an IP address (a name server cannot be found by name)"),
                Arguments.of("a name server by name with a port",
                        BASE + "dns: { nameservers: [10.0.0.2, \"dns.example:53\"] }\n",
                        "dns.nameservers[1]: \"dns.example:53\" is not an IP address (a name server cannot be found"
                                + " by name)"),
                Arguments.of("a name server that is no address",
                        BASE + "dns: { nameservers: [\"10.0.0.2:53:53\"] }\n",
                        "dns.nameservers[0]: \"10.0.0.2:53:53\" is not a name server address like 10.0.0.2 or"
                                + " 10.0.0.2:53"),
                Arguments.of("a name server on port 0",
                        BASE + "dns: { nameservers: [\"10.0.0.2:0\"] }\n",
                        "dns.nameservers[0]: \"10.0.0.2:0\": \"0\" is not a port number (1-65535)"),
                Arguments.of("an empty name server list",
                        BASE + "dns: { nameservers: [] }\n",
                        "dns.nameservers: must list at least one name server (leave it out to use the system's,"
                                + " from /etc/resolv.conf)"),
                Arguments.of("a floor below 100ms",
                        BASE + "dns: { min_ttl: 10ms }\n",
                        "dns.min_ttl: \"10ms\" is shorter than the minimum 100ms"),
                Arguments.of("a query timeout above 30s",
                        BASE + "dns: { timeout: 1m }\n",
                        "dns.timeout: \"1m\" is longer than the maximum 30s"),
                Arguments.of("an unknown dns key",
                        BASE + "dns: { hold: 30s }\n",
                        "dns.hold: is not a known key (known here: min_ttl, nameservers, timeout)"),
                Arguments.of("dns that is not a mapping",
                        BASE + "dns: 127.0.0.11\n",
                        "dns: must be a mapping, not \"127.0.0.11\""),
                Arguments.of("an interval below the floor",
                        BASE + "    resolve_interval: 500ms\n",
                        "pools.web.resolve_interval: \"500ms\" is shorter than dns.min_ttl (1s); lower dns.min_ttl or"
                                + " use 0s to resolve once"),
                Arguments.of("a discover address that is an IP address",
                        BASE + "    discover: 10.0.0.5:8080\n",
                        "pools.web.discover: \"10.0.0.5:8080\" is an IP address: discover takes a name whose address"
                                + " records are the servers"),
                Arguments.of("a discover name without a port",
                        BASE + "    discover: tasks.web\n",
                        "pools.web.discover: \"tasks.web\" is not host:port"),
                Arguments.of("a pool with neither servers nor discover",
                        "listeners: [{ name: public, bind: 127.0.0.1:8080, default_pool: web }]\n"
                                + "pools:\n  web:\n    retries: 1\n",
                        "pools.web.servers: is required"),
                Arguments.of("an interval that is no duration",
                        BASE + "    resolve_interval: often\n",
                        "pools.web.resolve_interval: \"often\" is not a duration like 500ms, 1s, 2m or 1h30m"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsWithTheFieldPathAndReason(String what, String yaml, String expected) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml)).isInstanceOf(ConfigException.class).hasMessage(expected);
    }

    @Test
    void theRecordCopiesItsList() {
        List<HostPort> servers = new java.util.ArrayList<>(List.of(new HostPort("10.0.0.2", 53)));
        DnsConfig c = new DnsConfig(servers, Duration.ofSeconds(1), Duration.ofSeconds(2));
        servers.clear();
        assertThat(c.nameservers()).hasSize(1);
    }
}
