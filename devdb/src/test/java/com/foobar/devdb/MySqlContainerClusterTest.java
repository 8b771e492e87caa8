package com.foobar.devdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MySqlContainerClusterTest {
    @Test
    void anImageThatCannotBeHadFailsInOneLineWithinSeconds() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> MySqlContainerCluster.requireRunnable(DockerImagesTest.NO_SUCH_IMAGE))
                .isInstanceOf(DevDbException.class)
                .hasMessageStartingWith("MySQL containers cannot start: " + DockerImagesTest.NO_SUCH_IMAGE + " ")
                .hasMessageEndingWith(" (use FOOBAR_DB=mariadb)")
                .hasMessageNotContaining("\n");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
}
