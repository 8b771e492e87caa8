package com.foobar.stack;

import java.io.PrintStream;

/** What the user sees: progress lines stamped with the time since start, and plain lines. Thread-safe. */
final class Console {

    private final PrintStream out;
    private final long startNanos = System.nanoTime();

    Console(PrintStream out) {
        this.out = out;
    }

    /** A progress line: {@code [  4.2s] what happened}. */
    void progress(String message) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        line(String.format("[%5.1fs] %s", seconds, message));
    }

    void line(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
