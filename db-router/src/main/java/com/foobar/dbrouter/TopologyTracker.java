package com.foobar.dbrouter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link Topology}: re-judges it after every check, applies it to the nodes (reads, pool sizes),
 * says what changed (log, {@code db.router.topology.changes}), and lets a write wait, bounded, for a writer.
 */
final class TopologyTracker {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyTracker.class);
    /** While split brain lasts, it is logged again this often, not at every check. */
    private static final long SPLIT_BRAIN_REMINDER_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final List<NodePool> nodes;
    private final TopologyJudge judge;
    private final RouterConfig config;
    private final RouterMetrics metrics;
    private final long confirmNanos;
    private volatile Topology current;
    private long splitBrainSince;
    private long splitBrainLoggedAt;
    private boolean splitBrainConfirmed;

    TopologyTracker(List<NodePool> nodes, RouterConfig config, RouterMetrics metrics, String initialWriterGuess) {
        this.nodes = List.copyOf(nodes);
        this.judge = new TopologyJudge(config.maxReplicationLag());
        this.config = config;
        this.metrics = metrics;
        // Each node is polled on its own schedule, so one check can see the new writer writable before the next
        // check sees the old one fenced: a split brain is announced only once it outlived two poll intervals.
        this.confirmNanos = 2 * config.monitorInterval().toNanos();
        this.current = judge.judge(inputs(), initialWriterGuess);
    }

    Topology current() {
        return current;
    }

    /** Judges again from the nodes' latest observations and publishes the result. */
    synchronized Topology refresh() {
        Topology previous = current;
        long judgedAt = System.nanoTime();
        Topology next = judge.judge(inputs(judgedAt), previous.lastWriter());
        // The topology first, the nodes' verdicts after: a read that finds no usable replica among the new verdicts
        // then falls back to the new topology's writer. The other order left a moment (new verdicts, old topology)
        // in which a promoted node was no longer a replica and not yet the writer, and reads failed with "no usable
        // replica, and no writable node". Old verdicts with the new topology only send a read to a replica that was
        // usable a moment ago.
        current = next;
        for (NodePool n : nodes) {
            n.apply(next.verdict(n.name()), judgedAt);
        }
        if (!next.sameRoles(previous)) {
            changed(previous, next);
        }
        if (next.state() == WriterState.SPLIT_BRAIN) {
            long now = System.nanoTime();
            if (!splitBrainConfirmed && now - splitBrainSince >= confirmNanos) {
                splitBrainConfirmed = true;
                splitBrainLoggedAt = now;
                LOG.error("db-router '{}': {}", config.name(), next.refusalMessage());
            } else if (splitBrainConfirmed && now - splitBrainLoggedAt > SPLIT_BRAIN_REMINDER_NANOS) {
                splitBrainLoggedAt = now;
                LOG.error("db-router '{}': {} (still)", config.name(), next.refusalMessage());
            }
        }
        notifyAll();
        return next;
    }

    private void changed(Topology previous, Topology next) {
        metrics.topologyChanged();
        if (!java.util.Objects.equals(previous.writer(), next.writer())) {
            for (NodePool n : nodes) {
                n.resize(n.name().equals(next.writer()) ? config.primaryPoolSize() : config.replicaPoolSize());
            }
        }
        String roles = next.describe();
        switch (next.state()) {
            case ONE_WRITER:
                LOG.info("db-router '{}': topology: writer {} ({})", config.name(), next.writer(), roles);
                break;
            case SPLIT_BRAIN:
                if (previous.state() != WriterState.SPLIT_BRAIN) {
                    splitBrainSince = System.nanoTime();
                    splitBrainConfirmed = false;
                }
                LOG.warn("db-router '{}': topology: {} writable nodes ({}), writes are refused; re-checking them",
                        config.name(), next.writable().size(), roles);
                break;
            default:
                LOG.warn("db-router '{}': topology: no writer, writes are refused ({})", config.name(), roles);
                break;
        }
        for (NodePool n : nodes) {
            NodeObservation o = n.observation();
            if (o.replicating() && !o.readOnly()) {
                LOG.warn("db-router '{}': {} is writable although it replicates: make it read-only (it takes no"
                        + " writes from the router)", config.name(), n.name());
            }
        }
    }

    /**
     * Waits until there is one writer or {@code deadlineNanos} passes, asking {@code poke} (urgent checks) at each
     * wake-up, and returns the topology then.
     */
    synchronized Topology awaitWriter(long deadlineNanos, Runnable poke) throws InterruptedException {
        // Even a write that may not wait asks for a look now, so the next one finds the new writer sooner.
        poke.run();
        while (current.state() != WriterState.ONE_WRITER) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                break;
            }
            long slice = Math.min(left, NodeMonitor.MAX_URGENT_RATE.toNanos());
            TimeUnit.NANOSECONDS.timedWait(this, slice);
            poke.run();
        }
        return current;
    }

    private List<TopologyJudge.Input> inputs() {
        return inputs(System.nanoTime());
    }

    private List<TopologyJudge.Input> inputs(long now) {
        List<TopologyJudge.Input> in = new ArrayList<>(nodes.size());
        for (NodePool n : nodes) {
            in.add(new TopologyJudge.Input(n.name(), n.observation(), n.lastLag(now)));
        }
        return in;
    }
}
