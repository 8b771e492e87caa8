package com.foobar.dbfailover.gtid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A comma-separated list of MariaDB GTIDs, as the server shows them: a <em>position</em> ({@code gtid_current_pos},
 * {@code gtid_slave_pos}, {@code Gtid_IO_Pos}: the last GTID of each domain) or a <em>binlog state</em>
 * ({@code gtid_binlog_state}: the last GTID of each domain and server pair in the binlog). Immutable.
 */
public final class MariaDbGtidList {
    public static final MariaDbGtidList EMPTY = new MariaDbGtidList(List.of());

    private final List<MariaDbGtid> gtids;

    private MariaDbGtidList(List<MariaDbGtid> gtids) {
        List<MariaDbGtid> sorted = new ArrayList<>(gtids);
        sorted.sort(Comparator.comparingLong(MariaDbGtid::domain).thenComparingLong(MariaDbGtid::server));
        this.gtids = List.copyOf(sorted);
    }

    public static MariaDbGtidList parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        List<MariaDbGtid> list = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                list.add(MariaDbGtid.parse(part));
            }
        }
        return new MariaDbGtidList(list);
    }

    public List<MariaDbGtid> gtids() {
        return gtids;
    }

    public boolean isEmpty() {
        return gtids.isEmpty();
    }

    /** The highest sequence number of {@code domain}, 0 when the list has none of it. */
    public long seq(long domain) {
        long max = 0;
        for (MariaDbGtid g : gtids) {
            if (g.domain() == domain && Long.compareUnsigned(g.seq(), max) > 0) {
                max = g.seq();
            }
        }
        return max;
    }

    /** As a position: per domain, the GTID with the highest sequence number. */
    public MariaDbGtidList position() {
        Map<Long, MariaDbGtid> last = new TreeMap<>();
        for (MariaDbGtid g : gtids) {
            last.merge(g.domain(), g, (a, b) -> Long.compareUnsigned(a.seq(), b.seq()) >= 0 ? a : b);
        }
        return new MariaDbGtidList(new ArrayList<>(last.values()));
    }

    /** Positions merged: per domain the further of the two. */
    public MariaDbGtidList furthest(MariaDbGtidList other) {
        List<MariaDbGtid> all = new ArrayList<>(gtids);
        all.addAll(other.gtids);
        return new MariaDbGtidList(all).position();
    }

    /**
     * Compares two positions domain by domain. With {@code gtid_strict_mode} a domain's history is one sequence, so
     * a higher sequence number means more of it.
     */
    public Progress compare(MariaDbGtidList other) {
        boolean more = false;
        boolean less = false;
        for (long domain : domains(this, other)) {
            int c = Long.compareUnsigned(seq(domain), other.seq(domain));
            more |= c > 0;
            less |= c < 0;
        }
        return Progress.of(more, less);
    }

    /**
     * Read as binlog states: the transactions in this binlog that {@code primary}'s binlog lacks. For each domain and
     * server this binlog has a last sequence number; a primary that has a later (or the same) one of that server in
     * that domain has all of them, as every server writes its transactions in sequence order. What is beyond is
     * errant, e.g. {@code 0-1-101..0-1-105} when the old primary (server 1) committed up to 105 and the new primary
     * got up to 100 of it.
     */
    public Errant errantAgainst(MariaDbGtidList primary) {
        Map<String, Long> theirs = new LinkedHashMap<>();
        for (MariaDbGtid g : primary.gtids) {
            theirs.merge(g.domain() + "-" + g.server(), g.seq(), (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);
        }
        List<String> errant = new ArrayList<>();
        long count = 0;
        for (MariaDbGtid g : gtids) {
            long have = theirs.getOrDefault(g.domain() + "-" + g.server(), 0L);
            if (Long.compareUnsigned(g.seq(), have) > 0) {
                String prefix = g.domain() + "-" + g.server() + "-";
                long first = have + 1;
                errant.add(first == g.seq() ? prefix + g.seq() : prefix + first + ".." + prefix + g.seq());
                count += g.seq() - have;
            }
        }
        return errant.isEmpty() ? Errant.NONE : new Errant(errant, count);
    }

    /** The sum of the sequence numbers of the position: grows with the history. */
    public long size() {
        long sum = 0;
        for (MariaDbGtid g : position().gtids) {
            sum += g.seq();
        }
        return sum;
    }

    private static List<Long> domains(MariaDbGtidList a, MariaDbGtidList b) {
        List<Long> domains = new ArrayList<>();
        for (MariaDbGtid g : a.gtids) {
            if (!domains.contains(g.domain())) {
                domains.add(g.domain());
            }
        }
        for (MariaDbGtid g : b.gtids) {
            if (!domains.contains(g.domain())) {
                domains.add(g.domain());
            }
        }
        return domains;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MariaDbGtidList && ((MariaDbGtidList) o).gtids.equals(gtids);
    }

    @Override
    public int hashCode() {
        return gtids.hashCode();
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (MariaDbGtid g : gtids) {
            parts.add(g.toString());
        }
        return String.join(",", parts);
    }
}
