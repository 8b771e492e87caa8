package com.foobar.webapp;

import com.foobar.webapp.net.TrustedProxies;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebAppConfigTest {

    private static final String PRIMARY = "jdbc:mysql://127.0.0.1:13306/foobar";
    private static final String REPLICA = "jdbc:mysql://127.0.0.1:13307/foobar";

    @Test
    void readsEveryFlag() {
        WebAppConfig c = WebAppConfig.fromArgs(new String[] {"--port", "8082", "--name", "web-2", "--primary",
                PRIMARY, "--replica", REPLICA, "--replica", REPLICA.replace("13307", "13308"), "--db-user", "u",
                "--db-password", "p", "--bind", "127.0.0.1", "--shutdown-timeout", "3s",
                "--db-causal-read-timeout", "250ms"}, Map.of());
        assertThat(c.port()).isEqualTo(8082);
        assertThat(c.name()).isEqualTo("web-2");
        assertThat(c.primaryUrl()).contains(PRIMARY);
        assertThat(c.replicaUrls()).containsExactly(REPLICA, REPLICA.replace("13307", "13308"));
        assertThat(c.dbUser()).isEqualTo("u");
        assertThat(c.dbPassword()).isEqualTo("p");
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.causalReadTimeout()).contains(Duration.ofMillis(250));
    }

    @Test
    void fallsBackToEnvironmentWithCommaSeparatedReplicas() {
        WebAppConfig c = WebAppConfig.fromArgs(new String[0], Map.of("FOOBAR_PORT", "9001", "FOOBAR_NAME", "web-9",
                "FOOBAR_DB_PRIMARY", PRIMARY, "FOOBAR_DB_REPLICAS", REPLICA + ", " + REPLICA, "FOOBAR_DB_USER", "eu",
                "FOOBAR_DB_PASSWORD", "ep"));
        assertThat(c.port()).isEqualTo(9001);
        assertThat(c.name()).isEqualTo("web-9");
        assertThat(c.replicaUrls()).containsExactly(REPLICA, REPLICA);
        assertThat(c.dbUser()).isEqualTo("eu");
        assertThat(c.dbPassword()).isEqualTo("ep");
    }

    @Test
    void flagsWinOverEnvironment() {
        WebAppConfig c = WebAppConfig.fromArgs(new String[] {"--port=8083", "--name", "flag", "--replica", REPLICA,
                "--primary", PRIMARY, "--db-user", "fu"}, Map.of("FOOBAR_PORT", "9001", "FOOBAR_NAME", "env",
                "FOOBAR_DB_REPLICAS", "jdbc:mysql://other:1/x", "FOOBAR_DB_USER", "eu"));
        assertThat(c.port()).isEqualTo(8083);
        assertThat(c.name()).isEqualTo("flag");
        assertThat(c.replicaUrls()).containsExactly(REPLICA);
        assertThat(c.dbUser()).isEqualTo("fu");
    }

    @Test
    void withoutDatabaseFlagsAsksForTheEmbeddedPair() {
        WebAppConfig c = WebAppConfig.fromArgs(new String[0], Map.of());
        assertThat(c.primaryUrl()).isEmpty();
        assertThat(c.port()).isEqualTo(WebAppConfig.DEFAULT_PORT);
        assertThat(c.bind()).isEqualTo(WebAppConfig.DEFAULT_BIND);
        assertThat(c.causalReadTimeout()).isEmpty();
    }

    @Test
    void writerWaitComesFromTheFlagOrTheEnvironmentAndIsBounded() {
        assertThat(WebAppConfig.fromArgs(new String[] {"--db-writer-wait", "250ms"}, Map.of()).writerWait())
                .contains(Duration.ofMillis(250));
        assertThat(WebAppConfig.fromArgs(new String[0], Map.of("FOOBAR_DB_WRITER_WAIT", "0")).writerWait())
                .contains(Duration.ZERO);
        assertThat(WebAppConfig.fromArgs(new String[0], Map.of()).writerWait()).isEmpty();
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[] {"--db-writer-wait", "1m"}, Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("--db-writer-wait: \"1m\" is more than 10s (a write should not hang through a failover)");
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[0], Map.of("FOOBAR_DB_WRITER_WAIT", "later")))
                .hasMessage("FOOBAR_DB_WRITER_WAIT: \"later\" is not a duration (e.g. 500ms, 15s, 1m)");
    }

    @Test
    void badDurationNamesTheVariable() {
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[0], Map.of("FOOBAR_DB_CAUSAL_READ_TIMEOUT", "soon")))
                .hasMessage("FOOBAR_DB_CAUSAL_READ_TIMEOUT: \"soon\" is not a duration (e.g. 500ms, 15s, 1m)");
    }

    @Test
    void badPortNamesTheFlagOrVariable() {
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[] {"--port", "80x"}, Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("--port: \"80x\" is not a port number (0-65535, 0 for any free port)");
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[0], Map.of("FOOBAR_PORT", "70000")))
                .hasMessage("FOOBAR_PORT: \"70000\" is not a port number (0-65535, 0 for any free port)");
    }

    @Test
    void badJdbcUrlNamesTheReplicaByIndex() {
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[] {"--primary", PRIMARY, "--db-user", "u",
                "--replica", REPLICA, "--replica", "web-2:80"}, Map.of()))
                .hasMessage("--replica[1]: \"web-2:80\" is not a JDBC URL (jdbc:mysql://host:port/database)");
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[0], Map.of("FOOBAR_DB_PRIMARY", "mysql://x",
                "FOOBAR_DB_USER", "u")))
                .hasMessage("FOOBAR_DB_PRIMARY: \"mysql://x\" is not a JDBC URL (jdbc:mysql://host:port/database)");
    }

    @Test
    void refusesReplicasWithoutPrimaryAndPrimaryWithoutUser() {
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[] {"--replica", REPLICA}, Map.of()))
                .hasMessageStartingWith("--replica: replicas given without a primary");
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[] {"--primary", PRIMARY}, Map.of()))
                .hasMessageStartingWith("--db-user: a database user is required");
    }

    @Test
    void refusesUnknownFlagsAndMissingValues() {
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[] {"--prot", "1"}, Map.of()))
                .hasMessage("unknown option --prot (see --help)");
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[] {"--name"}, Map.of()))
                .hasMessage("--name: needs a value");
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[] {"--name", "bad name"}, Map.of()))
                .hasMessageStartingWith("name: \"bad name\" must be");
    }

    @Test
    void builderKeepsReplicaListImmutable() {
        WebAppConfig c = WebAppConfig.builder().primaryUrl(PRIMARY).dbUser("u").replicaUrls(List.of(REPLICA)).build();
        assertThatThrownBy(() -> c.replicaUrls().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void trustedProxiesDefaultToNoneSoEveryoneIsAccepted() {
        assertThat(WebAppConfig.fromArgs(new String[0], Map.of()).trustedProxies()).isSameAs(TrustedProxies.NONE);
        assertThat(WebAppConfig.fromArgs(new String[0], Map.of("FOOBAR_TRUSTED_PROXIES", " ")).trustedProxies())
                .isSameAs(TrustedProxies.NONE);
    }

    @Test
    void readsTrustedProxiesFromFlagOrEnvironmentFlagWinning() {
        WebAppConfig env = WebAppConfig.fromArgs(new String[0],
                Map.of("FOOBAR_TRUSTED_PROXIES", "10.0.0.0/8, 172.16.0.0/12"));
        assertThat(env.trustedProxies().ranges()).containsExactly("10.0.0.0/8", "172.16.0.0/12");
        WebAppConfig flag = WebAppConfig.fromArgs(new String[] {"--trusted-proxies", "127.0.0.1,::1"},
                Map.of("FOOBAR_TRUSTED_PROXIES", "10.0.0.0/8"));
        assertThat(flag.trustedProxies().ranges()).containsExactly("127.0.0.1/32", "0:0:0:0:0:0:0:1/128");
        WebAppConfig equals = WebAppConfig.fromArgs(new String[] {"--trusted-proxies=192.168.0.0/16"}, Map.of());
        assertThat(equals.trustedProxies().ranges()).containsExactly("192.168.0.0/16");
        assertThat(equals.toBuilder().build().trustedProxies()).isEqualTo(equals.trustedProxies());
    }

    @Test
    void badTrustedProxiesNameTheFlagOrVariableAndTheEntry() {
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[] {"--trusted-proxies", "10.0.0.0/8,lb-1"},
                Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("--trusted-proxies[1] \"lb-1\" is not an IP address or CIDR range"
                        + " (e.g. 10.0.0.0/8, 192.168.1.10, fd00::/8; host names are not allowed)");
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[0], Map.of("FOOBAR_TRUSTED_PROXIES", "10.0.0.0/40")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("FOOBAR_TRUSTED_PROXIES[0] \"10.0.0.0/40\" has a bad prefix length (0-32)");
        assertThatThrownBy(() -> WebAppConfig.fromArgs(new String[] {"--trusted-proxies"}, Map.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("--trusted-proxies: needs a value");
    }
}
