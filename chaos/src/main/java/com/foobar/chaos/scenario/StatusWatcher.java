package com.foobar.chaos.scenario;

import com.foobar.chaos.load.Clock;
import com.foobar.chaos.stacks.BalancerAdmin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Watches the balancer's view of the web servers every 100 ms during a scenario and keeps each change of state with
 * its time, so the report can say when a dead server left the rotation and when it came back.
 */
final class StatusWatcher implements AutoCloseable {

    static final Duration POLL = Duration.ofMillis(100);

    /** A server's state changed at {@code ms}. */
    record Change(double ms, String server, String from, String to) {
    }

    private final BalancerAdmin admin;
    private final String pool;
    private final Clock clock;
    private final Map<String, String> states = new ConcurrentHashMap<>();
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final List<Change> changes = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String lastError = "";

    StatusWatcher(BalancerAdmin admin, String pool, Clock clock) {
        this.admin = admin;
        this.pool = pool;
        this.clock = clock;
        poll();
        this.thread = new Thread(this::loop, "chaos-status");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            poll();
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void poll() {
        try {
            for (BalancerAdmin.Server s : admin.servers(pool).values()) {
                String before = states.put(s.name(), s.state());
                inFlight.put(s.name(), s.inFlight());
                if (before != null && !before.equals(s.state())) {
                    changes.add(new Change(clock.nowMs(), s.name(), before, s.state()));
                }
            }
            lastError = "";
        } catch (Exception e) {
            lastError = String.valueOf(e.getMessage());
        }
    }

    String state(String server) {
        return states.getOrDefault(server, "unknown");
    }

    int inFlight(String server) {
        return inFlight.getOrDefault(server, -1);
    }

    List<Change> changes() {
        return List.copyOf(changes);
    }

    String lastError() {
        return lastError;
    }

    /**
     * Waits until the server's state passes {@code test}, at most {@code timeout}.
     *
     * @return when it was seen so, on the clock
     */
    Optional<Double> await(String server, Predicate<String> test, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (test.test(state(server))) {
                return Optional.of(clock.nowMs());
            }
            Thread.sleep(20);
        }
        return Optional.empty();
    }

    /** Waits until the server has no request in flight, at most {@code timeout}. */
    Optional<Double> awaitIdle(String server, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            poll();
            if (inFlight(server) == 0) {
                return Optional.of(clock.nowMs());
            }
            Thread.sleep(20);
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
