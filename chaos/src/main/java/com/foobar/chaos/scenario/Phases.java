package com.foobar.chaos.scenario;

import java.time.Duration;

/**
 * How long each part of a scenario lasts.
 *
 * @param warmup    steady load before the fault, to see the normal rate
 * @param hold      load after a fault whose recovery is not an event (the replica stays dead)
 * @param cooldown  steady load after the recovery, to see it hold
 * @param recovery  the longest wait for a recovery before the scenario says it did not come
 */
public record Phases(Duration warmup, Duration hold, Duration cooldown, Duration recovery) {

    /** CI's form: a few seconds around each fault. */
    public static Phases shortForm() {
        return new Phases(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(3), Duration.ofSeconds(90));
    }

    public static Phases fullForm() {
        return new Phases(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(10),
                Duration.ofSeconds(120));
    }
}
