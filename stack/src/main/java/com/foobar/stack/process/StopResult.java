package com.foobar.stack.process;

import java.time.Duration;

/**
 * What {@link ProcessSupervisor#stop} found and did: a child that was running is stopped; one that had exited, or
 * had been stopped already, is only named as gone.
 *
 * @param name   the component
 * @param before its state when the stop began
 * @param took   how long the stop took
 */
public record StopResult(String name, SupervisedProcess.State before, Duration took) {

    /** Whether this stop ended a process, rather than finding none. */
    public boolean stoppedIt() {
        return before == SupervisedProcess.State.STARTING || before == SupervisedProcess.State.RUNNING;
    }
}
