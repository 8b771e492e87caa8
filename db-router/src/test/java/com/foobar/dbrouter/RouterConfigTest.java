package com.foobar.dbrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterConfigTest {
    private static RouterConfig.Builder valid() {
        return RouterConfig.builder()
                .primaryUrl("jdbc:mysql://127.0.0.1:13306/foobar")
                .replicaUrls(List.of("jdbc:mysql://127.0.0.1:13307/foobar"))
                .username("foobar")
                .password("foobar");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        RouterConfig c = valid().build();
        assertThat(c.primaryPoolSize()).isEqualTo(10);
        assertThat(c.replicaPoolSize()).isEqualTo(10);
        assertThat(c.maxReplicationLag()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.causalReads()).isEqualTo(CausalReads.TOKEN);
        assertThat(c.causalReadTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.replicaSelection()).isEqualTo(ReplicaSelection.ROUND_ROBIN);
        assertThat(c.primaryAcceptsReads()).isTrue();
        assertThat(c.monitorInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.writerWaitTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.toString()).doesNotContain("password=");
    }

    @Test
    void badFieldsAreRefusedWithTheirPath() {
        assertThatThrownBy(() -> valid().primaryUrl("mysql://x").build())
                .isInstanceOf(InvalidRouterConfigException.class)
                .hasMessage("primaryUrl: \"mysql://x\" is not a jdbc:mysql://host:port/database URL");
        assertThatThrownBy(() -> valid().replicaUrls(List.of("jdbc:mysql://a:1/db", "jdbc:mysql://b :2/db")).build())
                .hasMessage("replicaUrls[1]: \"jdbc:mysql://b :2/db\" is not a jdbc:mysql://host:port/database URL");
        assertThatThrownBy(() -> valid().replicaUrls(List.of("jdbc:mysql://127.0.0.1:13306/foobar")).build())
                .hasMessage("replicaUrls[0]: \"jdbc:mysql://127.0.0.1:13306/foobar\" is the primary's URL");
        assertThatThrownBy(() -> valid().username(" ").build()).hasMessage("username: \" \" must not be empty");
        assertThatThrownBy(() -> valid().primaryPoolSize(0).build()).hasMessage("primaryPoolSize: 0 is not in 1..1000");
        assertThatThrownBy(() -> valid().connectionTimeout(Duration.ofMillis(100)).build())
                .hasMessage("connectionTimeout: PT0.1S must be at least PT0.25S");
        assertThatThrownBy(() -> valid().maxReplicationLag(Duration.ofSeconds(-1)).build())
                .hasMessage("maxReplicationLag: PT-1S must be at least PT0S");
    }

    @Test
    void primaryAndReplicaUrlsAreTheNodeListWithTheirNames() {
        RouterConfig c = valid().build();
        assertThat(c.nodes()).containsExactly(
                new RouterConfig.Node("primary", "jdbc:mysql://127.0.0.1:13306/foobar"),
                new RouterConfig.Node("replica-1", "jdbc:mysql://127.0.0.1:13307/foobar"));
    }

    @Test
    void aPlainNodeListNamesTheNodesInOrderAndNeedsNoPrimary() {
        RouterConfig c = RouterConfig.builder()
                .nodeUrls(List.of("jdbc:mysql://10.0.0.1:3306/foobar", "jdbc:mysql://10.0.0.2:3306/foobar"))
                .username("foobar")
                .build();
        assertThat(c.nodes()).containsExactly(
                new RouterConfig.Node("node-1", "jdbc:mysql://10.0.0.1:3306/foobar"),
                new RouterConfig.Node("node-2", "jdbc:mysql://10.0.0.2:3306/foobar"));
        assertThat(c.primaryUrl()).isNull();
    }

    @Test
    void nodeListErrorsNameTheirField() {
        assertThatThrownBy(() -> valid().nodeUrls(List.of("jdbc:mysql://a:1/db")).build())
                .isInstanceOf(InvalidRouterConfigException.class)
                .hasMessage("nodeUrls: give either nodeUrls or primaryUrl/replicaUrls, not both");
        assertThatThrownBy(() -> RouterConfig.builder().username("u")
                .nodeUrls(List.of("jdbc:mysql://a:1/db", "jdbc:mysql://a:1/db")).build())
                .hasMessage("nodeUrls[1]: \"jdbc:mysql://a:1/db\" repeats nodeUrls[0]");
        assertThatThrownBy(() -> RouterConfig.builder().username("u").nodeUrls(List.of("a:1")).build())
                .hasMessage("nodeUrls[0]: \"a:1\" is not a jdbc:mysql://host:port/database URL");
        assertThatThrownBy(() -> RouterConfig.builder().username("u").build())
                .hasMessage("primaryUrl: null is not a jdbc:mysql://host:port/database URL");
    }

    @Test
    void writerWaitTimeoutIsBounded() {
        assertThat(valid().writerWaitTimeout(Duration.ZERO).build().writerWaitTimeout()).isZero();
        assertThatThrownBy(() -> valid().writerWaitTimeout(Duration.ofSeconds(11)).build())
                .hasMessage("writerWaitTimeout: PT11S must be at most PT10S (a write should not hang through a failover)");
        assertThatThrownBy(() -> valid().writerWaitTimeout(Duration.ofMillis(-1)).build())
                .hasMessage("writerWaitTimeout: PT-0.001S must be at least PT0S");
    }
}
