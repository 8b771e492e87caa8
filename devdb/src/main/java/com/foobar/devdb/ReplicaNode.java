package com.foobar.devdb;

import java.time.Duration;

/** A replica, with the fault injection tests need. */
public interface ReplicaNode extends DbNode {
    /** Stops applying replicated events (the I/O thread keeps receiving them): the replica falls behind at will. */
    void stopSqlThread();

    /** Resumes applying replicated events. */
    void startSqlThread();

    /**
     * Makes the replica apply each event no earlier than {@code delay} after it was committed on the primary
     * ({@code MASTER_DELAY} / {@code SOURCE_DELAY}); {@link Duration#ZERO} removes the delay. The servers count in
     * whole seconds, so a fraction is rounded up.
     */
    void setReplicationDelay(Duration delay);
}
