package com.foobar.webapp;

import com.foobar.dbrouter.NodeRole;
import com.foobar.dbrouter.RouterHealth;
import com.foobar.webapp.web.ReadinessChecker;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps what the router's monitor last saw onto /ready: one writer, and at least one read path. The reason names the
 * writer and every other node's state, so an operator sees a failover or a split brain there.
 */
final class Readiness {

    private Readiness() {
    }

    static ReadinessChecker.Readiness of(RouterHealth health, boolean primaryAcceptsReads) {
        List<String> notes = new ArrayList<>();
        if (health.primaryUp()) {
            notes.add("writer " + health.writer().orElseThrow());
        } else {
            notes.add(health.writeProblem() + ": writes are refused");
        }
        for (RouterHealth.NodeHealth n : health.replicas()) {
            if (n.usable()) {
                notes.add(n.name() + " usable");
            } else if (n.role() == NodeRole.REPLICA) {
                notes.add(n.name() + " unusable: " + n.reason());
            } else if (n.role() != NodeRole.WRITER) {
                notes.add(n.name() + " " + n.role().tag() + ": " + n.reason());
            }
        }
        boolean readable = health.readable(primaryAcceptsReads);
        if (!readable) {
            notes.add("no node can serve reads");
        }
        return new ReadinessChecker.Readiness(health.primaryUp() && readable, String.join("; ", notes));
    }
}
