package com.foobar.chaos.stacks;

/** What a scenario needs beyond the stack itself. */
public enum Capability {
    /** A decider that promotes a replica when the primary dies (module db-failover, run by the stack or compose). */
    DB_FAILOVER,
    /** Something that brings a crashed database node back (devdb restarting mariadbd, or a container restart). */
    DB_NODE_RESTART,
    /** Two balancers sharing a virtual IP (keepalived, in compose). */
    BALANCER_PAIR
}
