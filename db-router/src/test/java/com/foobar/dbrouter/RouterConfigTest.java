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
}
