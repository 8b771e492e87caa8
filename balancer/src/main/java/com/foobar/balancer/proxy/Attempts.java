package com.foobar.balancer.proxy;

import com.foobar.balancer.lb.RequestContext;
import com.foobar.balancer.upstream.FailureKind;
import com.foobar.balancer.upstream.UpstreamPool;
import com.foobar.balancer.upstream.UpstreamServer;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * One exchange's attempts at its pool's servers: which servers were tried, the attempt under way and when it began,
 * telling each server exactly once how its attempt ended ({@link UpstreamServer#requestFinished} or
 * {@link UpstreamServer#requestFailed}, which outlier detection and the in-flight counts rely on), and the last
 * failure, which is the client's answer when no attempt is left. Whether a failure is tried again is
 * {@link RetryPolicy}'s.
 */
final class Attempts {

    private final UpstreamPool pool;
    private final RetryPolicy policy;
    private Set<UpstreamServer> tried = Collections.emptySet();
    private int count;
    private UpstreamServer server;
    /** The server has been told the attempt started and not yet how it ended. */
    private boolean open;
    private long startNanos;
    private Refusal lastFailure;

    Attempts(UpstreamPool pool) {
        this.pool = pool;
        this.policy = RetryPolicy.allowing(pool.config().retries());
    }

    /** Picks a server not tried yet and tells it a request is coming; null when the pool has none left. */
    UpstreamServer next(RequestContext request, long nowNanos) {
        UpstreamServer s = pool.select(request, tried);
        if (s != null) {
            count++;
            server = s;
            startNanos = nowNanos;
            open = true;
            s.requestStarted();
        }
        return s;
    }

    /** The attempt under way got no complete answer: its server hears so. */
    void failed(FailureKind kind, long nowNanos) {
        open = false;
        server.requestFailed(kind, nowNanos - startNanos);
    }

    /**
     * Whether the attempt that just {@link #failed} is tried again on another server; when it is not, the failure is
     * {@link #lastFailure()}.
     */
    boolean retry(FailureKind kind, String reason, boolean idempotent, boolean reachedServer, boolean bodyHeld) {
        if (tried.isEmpty()) {
            tried = new HashSet<>(4);
        }
        tried.add(server);
        lastFailure = Refusal.keepingAlive(RetryPolicy.statusFor(kind),
                "server " + server.name() + " (" + server.address() + ") " + reason);
        return policy.decide(count, kind, idempotent, reachedServer, bodyHeld) == RetryPolicy.Verdict.RETRY;
    }

    /** The attempt under way, if any, ended with an answer (or the client leaving): its server hears so. */
    void finished(int status, boolean declaredUnavailable, long latencyNanos) {
        if (open) {
            open = false;
            server.requestFinished(status, declaredUnavailable, latencyNanos);
        }
    }

    /** How many attempts were made. */
    int count() {
        return count;
    }

    /** The latest attempt's server; null before the first. */
    UpstreamServer server() {
        return server;
    }

    /** When the latest attempt began. */
    long startNanos() {
        return startNanos;
    }

    /** Why the latest failed attempt failed, as the client's answer; null while none failed. */
    Refusal lastFailure() {
        return lastFailure;
    }
}
