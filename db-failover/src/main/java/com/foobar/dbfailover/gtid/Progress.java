package com.foobar.dbfailover.gtid;

/** How one node's GTID history compares with another's. */
public enum Progress {
    /** It has everything the other has, and more. */
    AHEAD,
    EQUAL,
    /** The other has everything it has, and more. */
    BEHIND,
    /** Each has something the other lacks: their histories forked. */
    DIVERGED;

    /** The same comparison seen from the other side. */
    public Progress reversed() {
        switch (this) {
            case AHEAD:
                return BEHIND;
            case BEHIND:
                return AHEAD;
            default:
                return this;
        }
    }

    static Progress of(boolean thisHasMore, boolean otherHasMore) {
        if (thisHasMore && otherHasMore) {
            return DIVERGED;
        }
        if (thisHasMore) {
            return AHEAD;
        }
        return otherHasMore ? BEHIND : EQUAL;
    }
}
