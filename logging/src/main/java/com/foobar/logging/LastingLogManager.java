package com.foobar.logging;

import java.util.logging.LogManager;

/**
 * The JDK's log manager, except that once {@link Logging} has set it up, it is never reset again. The JDK resets it
 * in a shutdown hook of its own, which removes every handler while the program's own shutdown hooks may still run
 * (a web server draining, the decider stopping): what they log then would be lost. The handlers flush every record,
 * so there is nothing left to close at exit.
 */
public final class LastingLogManager extends LogManager {

    private volatile boolean configured;

    void configured() {
        configured = true;
    }

    @Override
    public void reset() {
        if (!configured) {
            super.reset();
        }
    }
}
