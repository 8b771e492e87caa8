package com.foobar.webapp;

import com.foobar.dbrouter.RouterHealth;
import com.foobar.webapp.web.ReadinessChecker;

import java.util.ArrayList;
import java.util.List;

/** Maps what the router's monitor last saw onto /ready: the primary up, and at least one read path. */
final class Readiness {

    private Readiness() {
    }

    static ReadinessChecker.Readiness of(RouterHealth health, boolean primaryAcceptsReads) {
        List<String> notes = new ArrayList<>();
        if (!health.primaryUp()) {
            notes.add("primary is down: writes are refused");
        }
        for (RouterHealth.ReplicaHealth r : health.replicas()) {
            notes.add(r.usable() ? r.name() + " usable" : r.name() + " unusable: " + r.reason());
        }
        boolean readable = health.readable(primaryAcceptsReads);
        if (!readable) {
            notes.add("no node can serve reads");
        }
        boolean ready = health.primaryUp() && readable;
        String reason = (ready ? "primary up; " : "") + String.join("; ", notes);
        return new ReadinessChecker.Readiness(ready, reason);
    }
}
