package com.foobar.stack.process;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * One component under supervision. It outlives the OS processes that run it: after a restart it points at the new
 * process, under the same name.
 */
public final class SupervisedProcess {

    private final ChildSpec spec;
    private Process current;
    private long logOffset;
    private List<ProcessHandle> knownDescendants = List.of();
    private boolean stopping;
    private boolean ready;
    private int restarts;
    private int consecutiveCrashes;
    private long startedNanos;
    private Future<?> pendingRestart;

    SupervisedProcess(ChildSpec spec) {
        this.spec = spec;
    }

    public String name() {
        return spec.name();
    }

    public ChildSpec spec() {
        return spec;
    }

    /** The PID of the process running now, or -1 before the first start. */
    public synchronized long pid() {
        return current == null ? -1 : current.pid();
    }

    public synchronized boolean isAlive() {
        return current != null && current.isAlive();
    }

    /** Where a component is in its life, as the stack's control API shows it. */
    public enum State {
        /** Its process runs and has not passed its readiness check yet. */
        STARTING,
        /** Its process runs and passed its readiness check. */
        RUNNING,
        /**
         * Stopped on purpose (by the stack, through its control API, or by a SIGTERM from outside); it stays down
         * until started.
         */
        STOPPED,
        /** Its process exited on its own (or never started); the stack restarts it unless {@code --no-restart}. */
        EXITED
    }

    public synchronized State state() {
        if (current != null && current.isAlive()) {
            return ready ? State.RUNNING : State.STARTING;
        }
        return stopping ? State.STOPPED : State.EXITED;
    }

    /** The process running now, if any. */
    public synchronized Optional<ProcessHandle> handle() {
        return current == null ? Optional.empty() : Optional.of(current.toHandle());
    }

    /** How many times a crash restart has brought it back. */
    public synchronized int restarts() {
        return restarts;
    }

    /**
     * Processes the child had started when it became ready, such as the database servers under the devdb JVM. They
     * are stopped with it, and also after a crash of it, so that none is left behind.
     */
    public synchronized List<ProcessHandle> knownDescendants() {
        return knownDescendants;
    }

    synchronized Process current() {
        return current;
    }

    synchronized long logOffset() {
        return logOffset;
    }

    synchronized void started(Process process, long logOffset) {
        this.current = process;
        this.logOffset = logOffset;
        this.startedNanos = System.nanoTime();
        this.knownDescendants = List.of();
        this.ready = false;
    }

    /** It passed its readiness check; from now on an exit is a crash to report, not a failed start. */
    synchronized void ready(List<ProcessHandle> descendants) {
        this.knownDescendants = List.copyOf(descendants);
        this.ready = true;
    }

    synchronized boolean isReady() {
        return ready;
    }

    synchronized long startedNanos() {
        return startedNanos;
    }

    synchronized boolean stopping() {
        return stopping;
    }

    /** Marks it stopping and cancels a pending restart; returns the process to stop, if any. */
    synchronized Process markStopping() {
        stopping = true;
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
        return current;
    }

    /**
     * Undoes {@link #markStopping()} before it is started again on purpose; a pending crash restart is dropped. It is
     * not ready until its new process is: the exit of the process stopped on purpose is handled on another thread and
     * may come after this, and it must not be taken for a crash (or an operator's kill) of the child starting now.
     */
    synchronized void resume() {
        stopping = false;
        ready = false;
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
    }

    synchronized int crashed(boolean livedLong) {
        consecutiveCrashes = livedLong ? 1 : consecutiveCrashes + 1;
        return consecutiveCrashes;
    }

    synchronized void restartScheduled(Future<?> future) {
        this.pendingRestart = future;
    }

    synchronized void restarted() {
        restarts++;
        pendingRestart = null;
    }

    @Override
    public String toString() {
        return name() + " (pid " + pid() + ")";
    }
}
