package com.foobar.balancer.events;

import java.time.Instant;

/**
 * One change an operator should see: a server's state, a reload's result. What stderr prints, {@code /api/events}
 * serves and the dashboard lists.
 *
 * @param seq     1 for the first event of this balancer process, then one more for each; a reader that remembers the
 *                last it saw asks only for newer ones
 * @param kind    what it is about, {@link #SERVER}, {@link #RELOAD} or {@link #TLS}
 * @param subject the server as {@code pool/server} for {@link #SERVER}, {@code listener NAME} for {@link #TLS};
 *                empty when the kind says it all
 * @param message what happened and why, e.g. {@code is DOWN: connection refused}
 */
public record BalancerEvent(long seq, Instant at, String kind, String subject, String message) {
    /** A server's health, drain, ejection or address changed. */
    public static final String SERVER = "server";
    /** A configuration reload was applied, rejected, or applied with parts that wait for a restart. */
    public static final String RELOAD = "reload";
    /** A listener's certificate files changed: reloaded, or kept with the reason (subject {@code listener NAME}). */
    public static final String TLS = "tls";

    /** {@code 2026-11-22T01:02:03.456Z server web/web-1 is DOWN: connection refused}, as HAProxy logs it. */
    public String line() {
        return at + " " + kind + (subject.isEmpty() ? "" : " " + subject) + " " + message;
    }
}
