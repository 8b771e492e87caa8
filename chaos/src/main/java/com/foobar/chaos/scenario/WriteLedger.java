package com.foobar.chaos.scenario;

import com.foobar.chaos.load.LoadSummary;
import com.foobar.chaos.stacks.Database;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Acknowledged writes checked against the database: every order id a client was told was placed (201 with its
 * {@code Location}) must be on the node that takes writes after the scenario. Also counts the other way round: orders
 * that exist although their client saw a failure (a write that committed, then lost its answer), which are not
 * lost but tell what a 502 meant.
 */
final class WriteLedger {

    /**
     * @param acknowledged the order ids clients were told
     * @param lost         acknowledged ids missing from the database
     * @param unacknowledgedCommitted orders of this scenario that exist although no client was told so
     * @param error        empty, or why the database could not be read (then nothing was checked)
     */
    record Check(int acknowledged, List<Long> lost, int unacknowledgedCommitted, String error) {
        boolean clean() {
            return error.isEmpty() && lost.isEmpty();
        }

        String describe() {
            if (!error.isEmpty()) {
                return "acknowledged writes not checked: " + error;
            }
            return "acknowledged writes lost: " + lost.size() + " of " + acknowledged
                    + (lost.isEmpty() ? "" : " (order ids " + lost.subList(0, Math.min(10, lost.size())) + ")")
                    + (unacknowledgedCommitted > 0 ? "; writes that failed for their client but committed: "
                    + unacknowledgedCommitted : "");
        }
    }

    private WriteLedger() {
    }

    /** Order ids of the product before the scenario, so its own unacknowledged commits can be told apart. */
    static Set<Long> before(Database db, java.util.Collection<Long> productIds) {
        try {
            return db.orderIds(productIds);
        } catch (Exception e) {
            return Set.of();
        }
    }

    static Check check(Database db, java.util.Collection<Long> productIds, LoadSummary summary, Set<Long> before) {
        List<Long> acked = summary.acknowledgedOrderIds();
        Set<Long> present;
        try {
            present = db.orderIds(productIds);
        } catch (Exception e) {
            return new Check(acked.size(), List.of(), 0, String.valueOf(e.getMessage()));
        }
        List<Long> lost = acked.stream().filter(id -> !present.contains(id)).toList();
        Set<Long> extra = new HashSet<>(present);
        extra.removeAll(before);
        extra.removeAll(new HashSet<>(acked));
        return new Check(acked.size(), lost, extra.size(), "");
    }
}
