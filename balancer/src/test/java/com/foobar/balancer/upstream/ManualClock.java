package com.foobar.balancer.upstream;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nanosecond clock the test moves by hand. */
final class ManualClock implements LongSupplier {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    @Override
    public long getAsLong() {
        return now.get();
    }

    void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
