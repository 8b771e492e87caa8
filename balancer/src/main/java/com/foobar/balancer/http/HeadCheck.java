package com.foobar.balancer.http;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * One check a decoded request head passes before the proxy sees it. A check keeps no state of its own, so one
 * instance serves every request of a listener; {@link RequestChecksHandler} runs a listener's checks in order.
 */
interface HeadCheck {

    /** Why a head is refused: the status and the one line the client reads. */
    record Refusal(HttpResponseStatus status, String reason) {
    }

    /** Null when {@code head} passes; a check may also edit it (drop what it does not let through). */
    Refusal check(HttpRequest head);
}
