package com.foobar.balancer.proxy;

import com.foobar.balancer.upstream.FailureKind;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Whether a failed attempt is tried again on another server, decided from the attempt alone, as Envoy's retry state
 * decides from its retry policy: nothing here keeps state, one instance serves every request of a pool.
 *
 * <ul>
 *   <li>A request none of whose bytes reached a server (connect refused or timed out, a pooled connection that died on
 *       the first write) is retried, whatever its method.</li>
 *   <li>An idempotent request is also retried when the connection broke before the response started, if the body it
 *       sent is still held for a replay (up to {@link RequestForwarder#REPLAY_LIMIT}).</li>
 *   <li>A non-idempotent request whose head reached a server is never replayed (RFC 9110 9.2.2): the server may have
 *       acted on it.</li>
 *   <li>A response timeout or a protocol error is never retried: a server that took that long, or answered nonsense,
 *       would do the same to the next try (HAProxy's {@code retry-on} leaves both out by default too).</li>
 * </ul>
 * A part of the response already sent to the client is not this policy's business: nothing can be retried then.
 */
final class RetryPolicy {

    /** What becomes of a failed attempt. */
    enum Verdict {
        /** Try another server. */
        RETRY,
        /** The pool's {@code retries} are used up. */
        NO_ATTEMPTS_LEFT,
        /** The body already sent is no longer held, so it cannot be sent again. */
        BODY_NOT_HELD,
        /** The failure is one a retry would meet again. */
        NOT_RETRIED_ON,
        /** The request may have been acted on and is not idempotent. */
        NOT_IDEMPOTENT
    }

    private static final int MOST_RETRIES = 10;
    private static final RetryPolicy[] BY_RETRIES = new RetryPolicy[MOST_RETRIES + 1];

    static {
        for (int i = 0; i <= MOST_RETRIES; i++) {
            BY_RETRIES[i] = new RetryPolicy(i + 1);
        }
    }

    private final int maxAttempts;

    private RetryPolicy(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** The policy of a pool with {@code retries} retries (0 to 10, as the configuration allows): shared, not made. */
    static RetryPolicy allowing(int retries) {
        return BY_RETRIES[Math.max(0, Math.min(MOST_RETRIES, retries))];
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /**
     * @param attempts      attempts made so far, the failed one included
     * @param kind          how the attempt failed
     * @param idempotent    whether the request's method is
     * @param reachedServer whether the request head reached a server (its write completed)
     * @param bodyHeld      whether everything of the body sent so far is still held for a replay
     */
    Verdict decide(int attempts, FailureKind kind, boolean idempotent, boolean reachedServer, boolean bodyHeld) {
        if (kind == FailureKind.RESPONSE_TIMEOUT || kind == FailureKind.PROTOCOL_ERROR) {
            return Verdict.NOT_RETRIED_ON;
        }
        if (!bodyHeld) {
            return Verdict.BODY_NOT_HELD;
        }
        if (reachedServer && !idempotent) {
            return Verdict.NOT_IDEMPOTENT;
        }
        return attempts < maxAttempts ? Verdict.RETRY : Verdict.NO_ATTEMPTS_LEFT;
    }

    /** The client's answer when an attempt failed this way and is not retried. */
    static HttpResponseStatus statusFor(FailureKind kind) {
        return switch (kind) {
            case CONNECT_REFUSED, CONNECT_TIMEOUT -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case RESPONSE_TIMEOUT -> HttpResponseStatus.GATEWAY_TIMEOUT;
            default -> HttpResponseStatus.BAD_GATEWAY;
        };
    }
}
