package com.foobar.balancer.upstream;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * State changes of servers, one line each on stderr, in the spirit of HAProxy's
 * {@code Server web/web-1 is DOWN, reason: ...}. They are rare (a check verdict, an ejection, an operator action), so
 * writing them directly is fine even from an event loop.
 */
final class ServerEvents {
    private ServerEvents() {
    }

    static void log(String pool, String server, String what) {
        System.err.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " server " + pool + "/" + server + " " + what);
    }
}
