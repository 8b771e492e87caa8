package com.foobar.chaos.scenario;

/** How a scenario ended. */
public enum Verdict {
    /** Every part of its goal was met. */
    PASS,
    /** It ran and missed its goal, or could not be carried out on a stack that should allow it. */
    FAIL,
    /** The stack lacks what the scenario breaks (no failover decider, no balancer pair): never a pass. */
    NOT_AVAILABLE
}
