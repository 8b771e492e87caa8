package com.foobar.dbrouter;

/** How reads honour a {@link ConsistencyToken}; named after MaxScale's {@code causal_reads}. */
public enum CausalReads {
    /** Tokens are ignored: reads may miss the caller's own recent writes. */
    NONE,
    /** A read with a token waits (bounded) on its replica until the token's GTID is applied, else goes to the primary. */
    TOKEN,
    /** A read with a token never waits: it uses a replica already at the position, else the primary. */
    FAST
}
