package com.foobar.dbfailover.decision;

import com.foobar.dbfailover.gtid.Progress;
import com.foobar.dbfailover.probe.NodeState;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the replica to promote: the one that has received the most of the old primary's history (by GTID, counting
 * what is in its relay log and not applied yet, which it applies before it is made writable), as MHA picks the
 * "latest slave". Equal ones go by the order of the configuration. Two that diverged (each has something the other
 * lacks: errant transactions on a replica) go by the larger history, and the reason says so.
 *
 * @param best  the name of the one to promote
 */
public record CandidateRanking(String best, String reason) {

    /** @param candidates reachable replicas, in configuration order; at least one */
    public static CandidateRanking rank(List<NodeState> candidates) {
        NodeState best = candidates.get(0);
        boolean diverged = false;
        for (NodeState c : candidates.subList(1, candidates.size())) {
            Progress p = c.reading().gtid().compareReceived(best.reading().gtid());
            if (p == Progress.AHEAD) {
                best = c;
            } else if (p == Progress.DIVERGED) {
                diverged = true;
                if (c.reading().gtid().size() > best.reading().gtid().size()) {
                    best = c;
                }
            }
        }
        List<String> others = new ArrayList<>();
        for (NodeState c : candidates) {
            if (c != best) {
                others.add(c.name() + " " + c.reading().gtid().received());
            }
        }
        String reason = best.name() + " has received the most (" + best.reading().gtid().received() + ")"
                + (others.isEmpty() ? ", the only candidate" : "; " + String.join("; ", others))
                + (diverged ? "; replicas diverged, the one with the larger history is taken" : "");
        return new CandidateRanking(best.name(), reason);
    }
}
