package com.foobar.dbfailover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decider's configuration from a file and the environment, and its errors, each naming its key. */
class ConfigLoaderTest {
    private static final String MINIMAL = """
            nodes:
              - name: db-1
                address: 10.0.0.1:3306
              - name: db-2
                address: 10.0.0.2:3306
            user: failover
            replication:
              user: repl
            """;

    @Test
    void minimalFileGetsTheDocumentedDefaults() throws Exception {
        FailoverConfig c = ConfigLoader.parse(MINIMAL);
        assertThat(c.nodes()).extracting(NodeConfig::name).containsExactly("db-1", "db-2");
        assertThat(c.failoverAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.checkInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.confirmWithReplicas()).isTrue();
        assertThat(c.enforceWritablePrimary()).isFalse();
        assertThat(c.semiSync()).isEqualTo(SemiSyncMode.AUTO);
        assertThat(c.replicationSsl()).isFalse();
        assertThat(c.statusPort()).isEqualTo(9095);
    }

    @Test
    void environmentAloneConfiguresAContainer() throws Exception {
        FailoverConfig c = ConfigLoader.load(Optional.empty(), Map.of(
                "FOOBAR_FAILOVER_NODES", "db-1=db-1:3306,db-2=db-2:3306",
                "FOOBAR_FAILOVER_USER", "failover", "FOOBAR_FAILOVER_PASSWORD", "pw",
                "FOOBAR_FAILOVER_REPLICATION_USER", "repl", "FOOBAR_FAILOVER_REPLICATION_SSL", "true",
                "FOOBAR_FAILOVER_AFTER", "8s", "FOOBAR_FAILOVER_STATUS_BIND", "0.0.0.0:9095",
                "FOOBAR_FAILOVER_ENFORCE_WRITABLE_PRIMARY", "true", "PATH", "/usr/bin"));
        assertThat(c.nodes()).extracting(NodeConfig::address).containsExactly("db-1:3306", "db-2:3306");
        assertThat(c.failoverAfter()).isEqualTo(Duration.ofSeconds(8));
        assertThat(c.replicationSsl()).isTrue();
        assertThat(c.statusHost()).isEqualTo("0.0.0.0");
        assertThat(c.enforceWritablePrimary()).isTrue();
    }

    @Test
    void environmentOverridesTheFileAndErrorsNameTheVariable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("failover.yml");
        Files.writeString(file, MINIMAL + "failover_after: 3s\n");
        assertThat(ConfigLoader.load(Optional.of(file), Map.of("FOOBAR_FAILOVER_AFTER", "7s")).failoverAfter())
                .isEqualTo(Duration.ofSeconds(7));
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of("FOOBAR_FAILOVER_AFTER", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FOOBAR_FAILOVER_AFTER")
                .hasMessageContaining("failover_after");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of("FOOBAR_FAILOVER_FAILOVERAFTER", "5s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FOOBAR_FAILOVER_FAILOVERAFTER: is not a known variable");
    }

    @Test
    void errorsNameTheFieldPath() {
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL + "failover_afer: 5s\n"))
                .hasMessageStartingWith("failover_afer: is not a known key");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("10.0.0.2:3306", "10.0.0.2")))
                .hasMessageStartingWith("nodes[1].address: ");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL + "check_interval: 10s\n"))
                .hasMessageStartingWith("check_interval: 10s is not shorter than failover_after");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("  user: repl", "  user: repl\n  ssl: maybe")))
                .hasMessageStartingWith("replication.ssl: ");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("10.0.0.2:3306", "10.0.0.2:70000")))
                .hasMessage("nodes[1].address: \"10.0.0.2:70000\": \"70000\" is not a port number (1-65535)");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("10.0.0.2:3306", "10.0.0.2:0")))
                .hasMessage("nodes[1].address: \"10.0.0.2:0\": \"0\" is not a port number (1-65535)");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("db-2\n", "db-1\n")))
                .hasMessageStartingWith("nodes[1].name: \"db-1\" is the name of an earlier node too");
    }
}
