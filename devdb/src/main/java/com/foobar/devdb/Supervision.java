package com.foobar.devdb;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What devdb does while its servers run: restarts a server that died on its own ({@link DevDbOptions#restartCrashed()},
 * embedded MariaDB), and keeps {@link TopologyFile} up to date when the data is kept.
 *
 * <p>A restart waits {@link DevDbOptions#crashRestartDelay()} (10 s), doubling while the server keeps dying, up to a
 * minute, and is quick again once it ran for a minute. Without restarts, a crash is still reported, and the node is no
 * longer taken for the writer: {@link Node#start()} brings it back read-only. A restarted server is read-only (its configuration says so): a failover tool decides
 * whether it takes writes again, after fencing and checking it.
 */
final class Supervision implements AutoCloseable {
    static final Duration MAX_RESTART_DELAY = Duration.ofMinutes(1);
    /** A server that ran this long before dying counts as healthy: its next restart is quick again. */
    static final Duration HEALTHY_RUN = Duration.ofMinutes(1);
    static final Duration TOPOLOGY_EVERY = Duration.ofSeconds(3);

    private final List<Node> nodes;
    private final Path dataDir;
    private final boolean restartCrashed;
    private final Duration firstDelay;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Integer> crashesInARow = new ConcurrentHashMap<>();
    private final Map<String, Long> startedAt = new ConcurrentHashMap<>();
    private final Map<String, Integer> restarts = new ConcurrentHashMap<>();
    private volatile TopologyFile.Record lastRecord;
    private volatile boolean closed;

    /**
     * @param dataDir where the topology is kept; null for throw-away data
     */
    Supervision(List<Node> nodes, boolean restartCrashed, Duration firstDelay, Path dataDir, TopologyFile.Record initial) {
        this.nodes = List.copyOf(nodes);
        this.restartCrashed = restartCrashed;
        this.firstDelay = firstDelay;
        this.dataDir = dataDir;
        this.lastRecord = initial;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "devdb-supervision");
            t.setDaemon(true);
            return t;
        });
        long now = System.nanoTime();
        for (Node n : nodes) {
            startedAt.put(n.name(), now);
            if (n.process() instanceof MariaDbProcess) {
                ((MariaDbProcess) n.process()).onCrash(pid -> crashed(n, pid));
            }
        }
        if (dataDir != null) {
            if (initial != null) {
                TopologyFile.write(dataDir, initial);
            }
            scheduler.scheduleWithFixedDelay(this::recordTopology, TOPOLOGY_EVERY.toMillis(), TOPOLOGY_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** {@code first}, twice that, four times ... at most a minute (or {@code first}, if longer). */
    static Duration restartDelay(Duration first, int crashesInARow) {
        long millis = first.toMillis() << Math.min(Math.max(crashesInARow - 1, 0), 10);
        return Duration.ofMillis(Math.min(millis, Math.max(first.toMillis(), MAX_RESTART_DELAY.toMillis())));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1e3);
    }

    private void crashed(Node node, long pid) {
        if (closed) {
            return;
        }
        boolean livedLong = System.nanoTime() - startedAt.getOrDefault(node.name(), 0L) > HEALTHY_RUN.toNanos();
        int inARow = crashesInARow.merge(node.name(), 1, (old, one) -> livedLong ? 1 : old + 1);
        boolean wasWriter = node.role() == Role.WRITER;
        node.role(Role.READ_ONLY, null);
        String what = "!! " + node.name() + ": mariadbd (pid " + pid + ") on 127.0.0.1:" + node.port()
                + " died on its own" + (wasWriter ? " (it was the primary)" : "");
        if (!restartCrashed) {
            DevDbConsole.progress(what + "; not restarted (restart of crashed servers is off); started again, it comes"
                    + " back read-only");
            return;
        }
        Duration delay = restartDelay(firstDelay, inARow);
        DevDbConsole.progress(what + "; restarting it in " + seconds(delay)
                + (inARow > 1 ? " (crash " + inARow + " in a row)" : "") + "; it comes back read-only");
        schedule(() -> restart(node), delay);
    }

    private void restart(Node node) {
        if (closed) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            node.startReadOnly();
        } catch (RuntimeException e) {
            int inARow = crashesInARow.merge(node.name(), 1, Integer::sum);
            Duration delay = restartDelay(firstDelay, inARow);
            DevDbConsole.progress("!! " + node.name() + ": restart failed: " + e.getMessage() + "; next try in "
                    + seconds(delay));
            schedule(() -> restart(node), delay);
            return;
        }
        startedAt.put(node.name(), System.nanoTime());
        int n = restarts.merge(node.name(), 1, Integer::sum);
        DevDbConsole.progress(node.name() + ": mariadbd back on 127.0.0.1:" + node.port() + " (pid "
                + node.pid().stream().mapToObj(Long::toString).findFirst().orElse("?") + ", restart " + n + ", up in "
                + String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9)
                + "s), read-only until a failover tool or you decide otherwise");
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing.
        }
    }

    /** Notes the roles when they are clear: exactly one writer among the servers that answer. */
    void recordTopology() {
        if (dataDir == null) {
            return;
        }
        Optional<TopologyFile.Record> seen = observe(nodes);
        if (seen.isPresent() && !seen.get().equals(lastRecord)) {
            TopologyFile.write(dataDir, seen.get());
            if (lastRecord != null && !lastRecord.writer.equals(seen.get().writer)) {
                DevDbConsole.progress("topology: " + seen.get() + " (was " + lastRecord.writer + "); the next start keeps it");
            }
            lastRecord = seen.get();
        }
    }

    /** The record of what the running servers say, when exactly one of them takes writes. */
    static Optional<TopologyFile.Record> observe(List<Node> nodes) {
        String writer = null;
        List<String> alone = new ArrayList<>();
        for (Node n : nodes) {
            if (!n.isRunning()) {
                continue;
            }
            Role role;
            try {
                role = ReplicationSetup.observe(n).role();
            } catch (SQLException e) {
                continue;
            }
            if (role == Role.WRITER) {
                if (writer != null) {
                    return Optional.empty();
                }
                writer = n.name();
            } else if (role == Role.READ_ONLY) {
                alone.add(n.name());
            }
        }
        return writer == null ? Optional.empty() : Optional.of(new TopologyFile.Record(writer, alone));
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A last look before the servers stop, so the next start knows the roles as they ended.
        if (dataDir != null) {
            Optional<TopologyFile.Record> seen = observe(nodes);
            seen.ifPresent(r -> TopologyFile.write(dataDir, r));
        }
    }
}
