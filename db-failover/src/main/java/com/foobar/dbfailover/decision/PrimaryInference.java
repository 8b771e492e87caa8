package com.foobar.dbfailover.decision;

import com.foobar.dbfailover.config.NodeConfig;
import com.foobar.dbfailover.probe.NodeState;
import com.foobar.dbfailover.probe.Replication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which node is the primary, from what the nodes say, when the decider does not know yet (at its start): the one
 * writable node that replicates from nobody; among several, the one the replicas replicate from (the others are
 * fenced: two writers is split brain); with none writable, the one the replicas replicate from (a primary that is
 * down or came back read-only), as Orchestrator infers a master from its replicas.
 *
 * @param primary  null when it cannot be told
 * @param toFence  writable nodes that are not the primary
 */
public record PrimaryInference(String primary, List<String> toFence, String reason) {

    public boolean found() {
        return primary != null;
    }

    public static PrimaryInference infer(List<NodeConfig> nodes, Map<String, NodeState> states) {
        List<String> writers = new ArrayList<>();
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (NodeConfig n : nodes) {
            votes.put(n.name(), 0);
        }
        for (NodeConfig n : nodes) {
            NodeState s = states.get(n.name());
            if (s == null || !s.reachable()) {
                continue;
            }
            if (s.reading().isWriter()) {
                writers.add(n.name());
            }
            Replication r = s.reading().replication();
            if (r != null) {
                for (NodeConfig source : nodes) {
                    if (source.isSource(r.sourceHost(), r.sourcePort())) {
                        votes.merge(source.name(), 1, Integer::sum);
                    }
                }
            }
        }
        if (writers.size() == 1) {
            return new PrimaryInference(writers.get(0), List.of(), writers.get(0) + " is the only writable node that"
                    + " replicates from nobody");
        }
        List<String> candidates = writers.isEmpty() ? new ArrayList<>(votes.keySet()) : writers;
        String best = null;
        int bestVotes = 0;
        boolean tie = false;
        for (String c : candidates) {
            int v = votes.get(c);
            if (v > bestVotes) {
                best = c;
                bestVotes = v;
                tie = false;
            } else if (v == bestVotes && v > 0) {
                tie = true;
            }
        }
        if (best == null || tie) {
            String why = writers.isEmpty()
                    ? "no node is writable and no replica tells which node it replicates from"
                    : "nodes " + String.join(", ", writers) + " are all writable and replicate from nobody, and the"
                            + " replicas do not tell which is the primary";
            return new PrimaryInference(null, List.of(), why);
        }
        List<String> fence = new ArrayList<>(writers);
        fence.remove(best);
        String why = writers.isEmpty()
                ? best + " is what " + bestVotes + " replica(s) replicate from (it is down or read-only)"
                : best + " is writable and " + bestVotes + " replica(s) replicate from it; also writable: "
                        + String.join(", ", fence);
        return new PrimaryInference(best, List.copyOf(fence), why);
    }
}
