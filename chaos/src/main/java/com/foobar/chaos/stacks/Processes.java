package com.foobar.chaos.stacks;

import com.foobar.chaos.load.Clock;
import java.io.IOException;
import java.util.Optional;

/** SIGKILL of a process by pid, and the moment its death was seen. */
final class Processes {

    private Processes() {
    }

    /**
     * {@code kill -9 pid}, then waits (polling every millisecond, at most 15 s) until the process is gone.
     *
     * @return when it was seen gone, on {@code clock}
     */
    static double killAndAwait(long pid, String what, Clock clock) throws IOException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            throw new IOException(what + " (pid " + pid + ") is not running");
        }
        if (!handle.get().destroyForcibly()) {
            throw new IOException("cannot send SIGKILL to " + what + " (pid " + pid + ")");
        }
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (handle.get().isAlive()) {
            if (System.nanoTime() > deadline) {
                throw new IOException(what + " (pid " + pid + ") still runs 15 s after SIGKILL");
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        return clock.nowMs();
    }
}
