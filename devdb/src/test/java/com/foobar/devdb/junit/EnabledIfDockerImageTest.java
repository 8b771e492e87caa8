package com.foobar.devdb.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** A test class needing an image nobody has is skipped, within seconds, with the reason; none of its tests run. */
class EnabledIfDockerImageTest {
    private static final String NO_SUCH_IMAGE = "foobar-test/no-such-image:0";

    @Test
    void aClassWhoseImageCannotBeHadIsSkippedWithTheReason() {
        long t0 = System.nanoTime();
        Events events = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(NeedsAnImageNobodyHas.class))
                .execute()
                .allEvents();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        events.assertThatEvents().haveExactly(1, event(container(NeedsAnImageNobodyHas.class),
                skippedWithReason(reason -> reason.startsWith(NO_SUCH_IMAGE + " ") && !reason.contains("\n"))));
        assertThat(events.started().count()).as("started events: the engine only").isEqualTo(1);
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMethodIsSkippedAloneWhileItsSiblingsRun() {
        Events tests = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(OneMethodNeedsAnImageNobodyHas.class))
                .execute()
                .testEvents();

        assertThat(tests.skipped().count()).isEqualTo(1);
        assertThat(tests.succeeded().count()).isEqualTo(1);
    }

    /** Run only through the test kit (surefire leaves nested classes alone). */
    @EnabledIfDockerImage(NO_SUCH_IMAGE)
    static class NeedsAnImageNobodyHas {
        @Test
        void neverRuns() {
            throw new AssertionError("ran although its image cannot be had");
        }
    }

    static class OneMethodNeedsAnImageNobodyHas {
        @Test
        @EnabledIfDockerImage(NO_SUCH_IMAGE)
        void neverRuns() {
            throw new AssertionError("ran although its image cannot be had");
        }

        @Test
        void runs() {
        }
    }
}
