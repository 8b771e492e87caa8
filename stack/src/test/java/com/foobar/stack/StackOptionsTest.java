package com.foobar.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StackOptionsTest {

    @Test
    void defaultsAreTheDocumentedPorts() throws Exception {
        StackOptions o = StackOptions.parse();

        assertThat(o.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(o.port()).isEqualTo(8080);
        assertThat(o.adminPort()).isEqualTo(9090);
        assertThat(o.webInstances()).isEqualTo(2);
        assertThat(o.webNames()).containsExactly("web-1", "web-2");
        assertThat(o.webPort(1)).isEqualTo(8081);
        assertThat(o.webPort(2)).isEqualTo(8082);
        assertThat(o.dbPort()).isEqualTo(13306);
        assertThat(o.dbReplicas()).isEqualTo(1);
        assertThat(o.replicaPort(1)).isEqualTo(13307);
        assertThat(o.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(o.fresh()).isFalse();
        assertThat(o.restartCrashed()).as("a crash is restarted, as a service manager's restart-on-failure does")
                .isTrue();
        assertThat(o.balancerConfig()).isEmpty();
        assertThat(o.controlPort()).as("the control API is off unless asked for").isEmpty();
        assertThat(o.failoverPort()).isEqualTo(9095);
        assertThat(o.overviewPort()).isEqualTo(9096);
        assertThat(o.dnsPort()).isEqualTo(5353);
        assertThat(o.prometheus()).as("the machine's Prometheus only when asked for").isFalse();
        assertThat(o.prometheusPort()).isEqualTo(9091);
        assertThat(o.semiSync()).isTrue();
        assertThat(o.help()).isFalse();
    }

    @Test
    void failoverPortMayNotClashAndSemiSyncCanBeTurnedOff() throws Exception {
        assertThat(StackOptions.parse("--failover-port", "9195").failoverPort()).isEqualTo(9195);
        assertThatThrownBy(() -> StackOptions.parse("--failover-port", "9090"))
                .hasMessage("--failover-port: db-failover's status would listen on port 9090, which the balancer's "
                        + "admin (--admin-port) already uses");
        assertThat(StackOptions.parse("--overview-port", "9196").overviewPort()).isEqualTo(9196);
        assertThat(StackOptions.parse("--prometheus").prometheus()).isTrue();
        assertThatThrownBy(() -> StackOptions.parse("--prometheus", "--prometheus-port", "9096"))
                .hasMessage("--prometheus-port: Prometheus would listen on port 9096, which the overview page"
                        + " (--overview-port) already uses");
        assertThat(StackOptions.parse("--prometheus-port", "9096").prometheusPort())
                .as("no clash while Prometheus is off").isEqualTo(9096);
        assertThatThrownBy(() -> StackOptions.parse("--overview-port", "9095"))
                .hasMessage("--overview-port: the overview page would listen on port 9095, which db-failover's status"
                        + " (--failover-port) already uses");
        assertThat(StackOptions.parse("--no-semi-sync").semiSync()).isFalse();
        assertThatThrownBy(() -> StackOptions.parse("--no-semi-sync=yes"))
                .hasMessage("--no-semi-sync: takes no value, got \"yes\"");
    }

    @Test
    void controlPortTurnsTheControlApiOnAndMayNotClashWithAnotherPort() throws Exception {
        assertThat(StackOptions.parse("--control-port", "9190").controlPort()).hasValue(9190);
        assertThatThrownBy(() -> StackOptions.parse("--control-port", "9090"))
                .hasMessage("--control-port: the stack's control API would listen on port 9090, which the balancer's "
                        + "admin (--admin-port) already uses");
        assertThatThrownBy(() -> StackOptions.parse("--control-port", "x"))
                .hasMessage("--control-port: \"x\" is not a port number (1-65535)");
        assertThat(StackOptions.usage()).contains("--control-port N");
    }

    @Test
    void nginxPutsOneNginxInFrontOfEachWebServerOnPortsThatMayNotClash() throws Exception {
        assertThat(StackOptions.defaults().nginx()).as("the default topology stays as it is").isFalse();
        StackOptions o = StackOptions.parse("--nginx", "--web-instances", "3", "--nginx-port", "18181");
        assertThat(o.nginx()).isTrue();
        assertThat(o.nginxPort(1)).isEqualTo(18181);
        assertThat(o.nginxPort(3)).isEqualTo(18183);
        assertThat(StackOptions.parse("--nginx").nginxPort(2)).isEqualTo(StackOptions.DEFAULT_NGINX_PORT + 1);
        assertThatThrownBy(() -> StackOptions.parse("--nginx", "--nginx-port", "8082"))
                .hasMessage("--nginx-port: nginx-1 would listen on port 8082, which web-2 (--web-port) already uses");
        assertThatThrownBy(() -> StackOptions.parse("--nginx=yes"))
                .hasMessage("--nginx: takes no value, got \"yes\"");
        // Without --nginx its port is not taken: the flag alone changes nothing.
        assertThat(StackOptions.parse("--nginx-port", "8082").nginx()).isFalse();
        assertThat(StackOptions.usage()).contains("--nginx ", "--nginx-port N");
    }

    @Test
    void flagsTakeTheirValueAsTheNextArgumentOrAfterAnEqualsSign() throws Exception {
        StackOptions o = StackOptions.parse("--port", "80", "--admin-port=9191", "--web-instances", "3",
                "--web-port=18081", "--db-port", "23306", "--db-replicas=2", "--data-dir", "/tmp/foobar-data",
                "--fresh", "--restart-crashed", "--bind", "127.0.0.1");

        assertThat(o.port()).isEqualTo(80);
        assertThat(o.adminPort()).isEqualTo(9191);
        assertThat(o.webNames()).containsExactly("web-1", "web-2", "web-3");
        assertThat(o.webPort(3)).isEqualTo(18083);
        assertThat(o.dbPort()).isEqualTo(23306);
        assertThat(o.replicaPort(2)).isEqualTo(23308);
        assertThat(o.dataDir()).isEqualTo(Path.of("/tmp/foobar-data"));
        assertThat(o.fresh()).isTrue();
        assertThat(o.restartCrashed()).isTrue();
        assertThat(o.bindAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void noRestartTurnsCrashRestartsOffAndTheOldFlagStillRuns() throws Exception {
        assertThat(StackOptions.parse("--no-restart").restartCrashed()).isFalse();
        assertThat(StackOptions.parse("--restart-crashed").restartCrashed()).isTrue();
        assertThatThrownBy(() -> StackOptions.parse("--no-restart", "--restart-crashed"))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("--no-restart: contradicts --restart-crashed; give one of them");
        assertThatThrownBy(() -> StackOptions.parse("--no-restart=yes"))
                .hasMessage("--no-restart: takes no value, got \"yes\"");
        assertThat(StackOptions.usage()).contains("--no-restart", "--restart-crashed");
    }

    @Test
    void helpIsRecognisedInBothSpellings() throws Exception {
        assertThat(StackOptions.parse("--help").help()).isTrue();
        assertThat(StackOptions.parse("-h").help()).isTrue();
        assertThat(StackOptions.usage()).contains("--web-instances", "--restart-crashed", "--fresh", "--port");
    }

    @Test
    void anUnknownFlagIsNamed() {
        assertThatThrownBy(() -> StackOptions.parse("--web-instance", "3"))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("--web-instance: unknown option");
    }

    @Test
    void aFlagWithoutItsValueIsNamed() {
        assertThatThrownBy(() -> StackOptions.parse("--port"))
                .hasMessage("--port: needs a value");
    }

    @Test
    void aPortThatIsNotANumberOrOutOfRangeIsRejected() {
        assertThatThrownBy(() -> StackOptions.parse("--port", "80x"))
                .hasMessage("--port: \"80x\" is not a port number (1-65535)");
        assertThatThrownBy(() -> StackOptions.parse("--admin-port", "70000"))
                .hasMessage("--admin-port: \"70000\" is not a port number (1-65535)");
        assertThatThrownBy(() -> StackOptions.parse("--web-port", "0"))
                .hasMessage("--web-port: \"0\" is not a port number (1-65535)");
    }

    @Test
    void theNumberOfWebInstancesIsBounded() {
        assertThatThrownBy(() -> StackOptions.parse("--web-instances", "0"))
                .hasMessage("--web-instances: \"0\" is out of range (1-16)");
        assertThatThrownBy(() -> StackOptions.parse("--web-instances", "two"))
                .hasMessage("--web-instances: \"two\" is not a number");
    }

    @Test
    void twoComponentsOnTheSamePortAreRejectedNamingBoth() {
        assertThatThrownBy(() -> StackOptions.parse("--web-port", "8079"))
                .hasMessage("--web-port: web-2 would listen on port 8080, which the balancer (--port) already uses");
        assertThatThrownBy(() -> StackOptions.parse("--web-instances", "3", "--admin-port", "8083"))
                .hasMessage("--web-port: web-3 would listen on port 8083, which the balancer's admin "
                        + "(--admin-port) already uses");
    }

    @Test
    void portsCountedPastTheLastPortAreRejected() {
        assertThatThrownBy(() -> StackOptions.parse("--web-port", "65535"))
                .hasMessage("--web-port: web-2 would listen on port 65536, above 65535; choose a lower --web-port");
    }

    @Test
    void aSwitchGivenAValueIsRejected() {
        assertThatThrownBy(() -> StackOptions.parse("--fresh=yes"))
                .hasMessage("--fresh: takes no value, got \"yes\"");
    }

    @Test
    void anAddressWithAPortIsRejectedWithAHint() {
        assertThatThrownBy(() -> StackOptions.parse("--bind", "0.0.0.0:80"))
                .hasMessageStartingWith("--bind: \"0.0.0.0:80\" is not an address")
                .hasMessageContaining("the port goes in --port");
    }

    @Test
    void aBindAddressIsAnAddressOfThisMachine() throws Exception {
        assertThat(StackOptions.parse("--bind", "127.0.0.1").bindAddress()).isEqualTo("127.0.0.1");
        assertThat(StackOptions.parse("--bind", "0.0.0.0").bindAddress()).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> StackOptions.parse("--bind", "999.1.1.1"))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("--bind: \"999.1.1.1\" is not an IPv4 address: it takes four numbers 0-255, such as"
                        + " 127.0.0.1");
        // TEST-NET-1, reserved for documentation: no machine has it.
        assertThatThrownBy(() -> StackOptions.parse("--bind", "192.0.2.1"))
                .hasMessage("--bind: \"192.0.2.1\" is not an address of this machine (give an IP of this machine"
                        + " such as 0.0.0.0 or 127.0.0.1; the port goes in --port)");
    }

    @Test
    void aMissingBalancerConfigIsRejected(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path missing = dir.resolve("nope.yml");
        assertThatThrownBy(() -> StackOptions.parse("--balancer-config", missing.toString()))
                .hasMessage("--balancer-config: \"" + missing + "\" is not a readable file");
    }
}
