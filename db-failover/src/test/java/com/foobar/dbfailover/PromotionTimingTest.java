package com.foobar.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.foobar.dbfailover.report.Event;
import com.foobar.dbfailover.report.EventKind;
import com.foobar.dbfailover.status.StatusSnapshot;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** When a primary is replaced: after failover_after without an answer, and not while it still answers, slowly. */
class PromotionTimingTest {
    private static final Duration FAILOVER_AFTER = Duration.ofSeconds(4);

    @Test
    void killedPrimaryIsReplacedOnceSilentForFailoverAfterAndNotBefore() throws Exception {
        try (FailoverCluster c = FailoverCluster.start(db -> db.semiSync(true), f -> f.failoverAfter(FAILOVER_AFTER))) {
            Instant lastAnswerBeforeKill = c.failover.status().node("primary").lastAnswer();
            Instant killedAt = Instant.now();

            c.kill("primary");

            Event promoted = c.awaitEvent(EventKind.PROMOTED, "replica-1", FAILOVER_AFTER.plusSeconds(30));
            Event started = c.event(EventKind.PROMOTION_STARTED, "primary").orElseThrow();
            // The rule: no answer for failover_after. The last answer was at or after lastAnswerBeforeKill.
            assertThat(started.at()).isAfterOrEqualTo(lastAnswerBeforeKill.plus(FAILOVER_AFTER));
            assertThat(Duration.between(killedAt, started.at())).isLessThan(FAILOVER_AFTER.plusSeconds(10));
            StatusSnapshot status = c.failover.status();
            assertThat(status.primary()).isEqualTo("replica-1");
            assertThat(status.lastPromotion().primarySilentSeconds()).isGreaterThanOrEqualTo(FAILOVER_AFTER.toMillis() / 1000.0);
            assertThat(c.event(EventKind.PRIMARY_UNREACHABLE, "primary")).isPresent();
            assertThat(promoted.message()).contains("replica-1 has received the most");
            // The new primary takes writes, and is what db-router looks for: writable, replicating from nobody.
            assertThat(c.scalar("replica-1", "SELECT @@global.read_only")).isEqualTo("0");
            assertThat(c.scalar("replica-1", "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND = 'Slave_IO'"))
                    .isEqualTo("0");
            try (Connection app = c.app("replica-1"); Statement s = app.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS after_failover (id INT PRIMARY KEY)");
                s.execute("INSERT INTO after_failover VALUES (1)");
            }
            assertThat(c.output()).contains(" promoted replica-1: is the primary now");
        }
    }

    /** {@code db_failover_probe_duration_seconds_max{node="primary"}}: the slowest recent probe of the primary. */
    private static double slowestProbe(FailoverCluster c) {
        return c.failover.metrics().lines()
                .filter(l -> l.startsWith("db_failover_probe_duration_seconds_max{node=\"primary\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void slowPrimaryThatStillAnswersIsNotReplaced() throws Exception {
        // The replicas' opinion is switched off: the decider's own timer alone must keep the slow primary.
        try (FailoverCluster c = FailoverCluster.start(db -> { }, f -> f.failoverAfter(FAILOVER_AFTER)
                .probeTimeout(Duration.ofSeconds(2)).confirmWithReplicas(false))) {
            ScheduledExecutorService pauses = Executors.newSingleThreadScheduledExecutor();
            AtomicBoolean stopped = new AtomicBoolean();
            AtomicReference<Double> slowest = new AtomicReference<>(0.0);
            try {
                // Frozen 1.5 s out of every 2 s, for three times failover_after: every answer is late, none missing.
                pauses.scheduleAtFixedRate(() -> {
                    c.signal("primary", "STOP");
                    stopped.set(true);
                    pauses.schedule(() -> {
                        c.signal("primary", "CONT");
                        stopped.set(false);
                    }, 1500, TimeUnit.MILLISECONDS);
                }, 0, 2000, TimeUnit.MILLISECONDS);

                await().during(FAILOVER_AFTER.multipliedBy(3)).atMost(FAILOVER_AFTER.multipliedBy(3).plusSeconds(5))
                        .until(() -> {
                            slowest.accumulateAndGet(slowestProbe(c), Math::max);
                            return c.event(EventKind.PROMOTION_STARTED, "primary").isEmpty()
                                    && "primary".equals(c.failover.status().primary());
                        });
            } finally {
                pauses.shutdownNow();
                pauses.awaitTermination(5, TimeUnit.SECONDS);
                c.signal("primary", "CONT");
            }
            assertThat(slowest.get()).as("the slowest probe answer, in seconds").isGreaterThanOrEqualTo(1.0);
            await().atMost(Duration.ofSeconds(10)).until(() -> "watching".equals(c.failover.status().state()));
            assertThat(c.scalar("primary", "SELECT @@global.read_only")).isEqualTo("0");
            assertThat(c.failover.status().promotions()).isZero();
        }
    }
}
