package com.foobar.dbrouter;

import java.util.ArrayList;
import java.util.List;

/**
 * MariaDB GTID positions ({@code domain-server-seq}, comma-separated), and the one question the router asks of
 * them: does a replica's applied position prove it holds a given write?
 *
 * <p>{@code MASTER_GTID_WAIT} alone cannot answer it across a promotion: it compares only the sequence number within
 * each domain ("waits until gtid_slave_pos has the same or higher seq_no", MariaDB KB). When the promoted replica
 * lacked the old primary's last writes (asynchronous replication), it goes on numbering from where it was, so
 * {@code 0-2-101} on the new writer and the lost {@code 0-1-101} have the same sequence number, and a replica of the
 * new writer "reaches" the lost write without holding it. A MySQL GTID set has no such ambiguity (a set of
 * {@code uuid:n}, compared by inclusion), so this concerns MariaDB only.
 *
 * <p>The proof used here: with {@code gtid_strict_mode} (devdb and any sane MariaDB replication set it), a node
 * applies one domain's events in order, without gaps, from one source at a time. So if a node's last applied GTID in
 * domain {@code d} came from the same server {@code s} as the write {@code d-s-n}, with a sequence number at or past
 * {@code n}, the node applied that server's stream through {@code n}, write included. When the last applied GTID came
 * from another server (the writer changed since), nothing is proven and the read goes to the writer, which holds every
 * write that survived the change.
 */
final class GtidPositions {
    private GtidPositions() {
    }

    /** One {@code domain-server-seq}; the numbers are unsigned (32, 32 and 64 bits). */
    record Gtid(long domain, long server, long seq) {
    }

    /** Parses a position such as {@code 0-1-42,1-2-7} (whitespace ignored); empty for an empty string. */
    static List<Gtid> parse(String position) {
        List<Gtid> out = new ArrayList<>();
        if (position == null) {
            return out;
        }
        String p = position.replaceAll("\\s+", "");
        if (p.isEmpty()) {
            return out;
        }
        for (String part : p.split(",")) {
            String[] f = part.split("-");
            if (f.length != 3) {
                throw new IllegalArgumentException("not a MariaDB GTID: " + part);
            }
            out.add(new Gtid(Long.parseUnsignedLong(f[0]), Long.parseUnsignedLong(f[1]), Long.parseUnsignedLong(f[2])));
        }
        return out;
    }

    /**
     * Whether a node whose applied position is {@code applied} ({@code @@gtid_slave_pos}) provably holds every write
     * of {@code token}: for each of the token's GTIDs, the node's last GTID in that domain comes from the same server
     * with a sequence number at or past it.
     */
    static boolean holds(String applied, String token) {
        List<Gtid> have;
        List<Gtid> want;
        try {
            have = parse(applied);
            want = parse(token);
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (Gtid w : want) {
            boolean ok = false;
            for (Gtid h : have) {
                if (h.domain() == w.domain() && h.server() == w.server() && Long.compareUnsigned(h.seq(), w.seq()) >= 0) {
                    ok = true;
                    break;
                }
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
