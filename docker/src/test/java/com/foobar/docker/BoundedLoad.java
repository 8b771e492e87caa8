package com.foobar.docker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load the live tests run from a few threads until stopped (each subclass also bounds it in count and time): the
 * threads, the stop, and what failed (how many requests, and the first few distinct reasons).
 */
abstract class BoundedLoad implements AutoCloseable {
    protected final ExecutorService threads;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger failures = new AtomicInteger();
    private final Set<String> failureSamples = ConcurrentHashMap.newKeySet();

    protected BoundedLoad(int concurrency) {
        threads = Executors.newFixedThreadPool(concurrency);
    }

    /** False once {@link #stop} was called: the threads end their loops. */
    protected boolean running() {
        return running.get();
    }

    /** One request failed, for {@code why} (a status and the body's first line, or the exception). */
    protected void failed(String why) {
        failures.incrementAndGet();
        if (failureSamples.size() < 5) {
            failureSamples.add(why);
        }
    }

    int failures() {
        return failures.get();
    }

    Set<String> failureSamples() {
        return failureSamples;
    }

    void stop() throws InterruptedException {
        running.set(false);
        threads.shutdown();
        threads.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
