package com.foobar.balancer;

import java.io.PrintStream;

/** SIGHUP handling through {@code sun.misc.Signal}, the one portable-enough hook the JDK offers. */
final class Signals {

    private Signals() {
    }

    /** Runs {@code action} on each SIGHUP; says so on {@code err} where the platform has no SIGHUP. */
    @SuppressWarnings("restriction")
    static void onHangup(Runnable action, PrintStream err) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    System.err.println("reload failed: " + e);
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            err.println("SIGHUP reload unavailable here (" + e.getMessage() + "); file changes still reload");
        }
    }
}
