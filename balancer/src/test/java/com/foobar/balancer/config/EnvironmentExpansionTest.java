package com.foobar.balancer.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironmentExpansionTest {
    private static final String CONFIG = """
            listeners:
              - name: public
                bind: "${LB_BIND:-127.0.0.1}:8080"
                routes:
                  - { hosts: [www.foobar.com], pool: web }
            pools:
              web:
                servers:
                  - { name: web-1, address: "${WEB_1}" }
            admin:
              bind: 127.0.0.1:9090
              # ${NOT_EXPANDED} in a comment is nothing
              allow: [127.0.0.0/8, "${APP_NET:-10.213.7}.0/24"]
            """;

    @Test
    void variablesAndDefaultsAreExpandedInStringValues() throws Exception {
        BalancerConfig c = ConfigLoader.parse(CONFIG, Map.of("WEB_1", "10.0.0.5:8081", "APP_NET", "10.213.8")::get);
        assertThat(c.listeners().get(0).bind()).isEqualTo(new HostPort("127.0.0.1", 8080));
        assertThat(c.pools().get("web").servers().get(0).address()).isEqualTo(new HostPort("10.0.0.5", 8081));
        assertThat(c.admin().allow()).extracting(Cidr::toString).containsExactly("127.0.0.0/8", "10.213.8.0/24");
    }

    @Test
    void anEmptyVariableTakesItsDefault() throws Exception {
        BalancerConfig c = ConfigLoader.parse(CONFIG, Map.of("WEB_1", "10.0.0.5:8081", "APP_NET", "")::get);
        assertThat(c.admin().allow()).extracting(Cidr::toString).contains("10.213.7.0/24");
    }

    @Test
    void anUnsetVariableWithoutADefaultIsAnErrorAtItsFieldPath() {
        assertThatThrownBy(() -> ConfigLoader.parse(CONFIG, Map.<String, String>of()::get))
                .isInstanceOf(ConfigException.class)
                .hasMessage("pools.web.servers[0].address: ${WEB_1} is not set (give it a default with ${WEB_1:-value})");
    }

    @Test
    void aDoubleDollarIsALiteralDollarAndALoneDollarIsItself() throws Exception {
        EnvironmentExpansion e = new EnvironmentExpansion(Map.of("X", "y")::get);
        assertThat(e.expand("p", "a$$b")).isEqualTo("a$b");
        assertThat(e.expand("p", "$${X}")).isEqualTo("${X}");
        assertThat(e.expand("p", "cost: 5$")).isEqualTo("cost: 5$");
        assertThat(e.expand("p", "${X}-${X:-z}")).isEqualTo("y-y");
    }

    @Test
    void anUnclosedOrInvalidReferenceIsAnError() {
        EnvironmentExpansion e = new EnvironmentExpansion(Map.<String, String>of()::get);
        assertThatThrownBy(() -> e.expand("admin.bind", "${X")).isInstanceOf(ConfigException.class)
                .hasMessage("admin.bind: \"${X\" has a ${ without its } (a literal $ is $$)");
        assertThatThrownBy(() -> e.expand("admin.bind", "${1X}")).isInstanceOf(ConfigException.class)
                .hasMessage("admin.bind: ${1X} does not name an environment variable");
    }
}
