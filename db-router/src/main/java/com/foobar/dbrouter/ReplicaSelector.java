package com.foobar.dbrouter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Picks a usable replica; the usable set is a snapshot the monitor refreshes, so picking takes no lock. */
final class ReplicaSelector {
    private static final NodePool[] NONE = new NodePool[0];

    private final List<NodePool> replicas;
    private final ReplicaSelection selection;
    private final AtomicInteger next = new AtomicInteger();
    private volatile NodePool[] usable = NONE;

    ReplicaSelector(List<NodePool> replicas, ReplicaSelection selection) {
        this.replicas = List.copyOf(replicas);
        this.selection = selection;
    }

    /** Re-reads which replicas are usable. */
    void refresh() {
        List<NodePool> now = new ArrayList<>();
        for (NodePool r : replicas) {
            if (r.isUsable()) {
                now.add(r);
            }
        }
        usable = now.toArray(NONE);
    }

    /** A usable replica, or null when there is none. */
    NodePool pick() {
        NodePool[] u = usable;
        int n = u.length;
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return u[0].isUsable() ? u[0] : null;
        }
        int start = Math.floorMod(next.getAndIncrement(), n);
        if (selection == ReplicaSelection.ROUND_ROBIN) {
            for (int i = 0; i < n; i++) {
                NodePool r = u[(start + i) % n];
                if (r.isUsable()) {
                    return r;
                }
            }
            return null;
        }
        NodePool best = null;
        int bestInUse = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            NodePool r = u[(start + i) % n];
            int inUse = r.inUse();
            if (r.isUsable() && inUse < bestInUse) {
                best = r;
                bestInUse = inUse;
            }
        }
        return best;
    }

    /** Usable replicas other than {@code first}, in selection order (for FAST mode, which may try each). */
    List<NodePool> others(NodePool first) {
        List<NodePool> rest = new ArrayList<>();
        for (NodePool r : usable) {
            if (r != first && r.isUsable()) {
                rest.add(r);
            }
        }
        return rest;
    }
}
