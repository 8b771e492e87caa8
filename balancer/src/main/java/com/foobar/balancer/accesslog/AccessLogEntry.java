package com.foobar.balancer.accesslog;

/**
 * One proxied request as the access log records it. Built on the event loop from values the proxy already holds; the
 * line itself is formatted on the writer thread so the event loop never pays for string building.
 *
 * @param epochMillis    when the request head arrived
 * @param client         the client's address, {@code ip:port}
 * @param listener       the listener that accepted it
 * @param method         request method
 * @param uri            request target as sent by the client
 * @param status         status sent to the client; 499 when the client went away first, 0 when nothing was sent
 * @param bytes          response body bytes sent to the client
 * @param totalNanos     from request head to the end of the response
 * @param pool           pool name or {@code -}
 * @param server         upstream server name or {@code -}
 * @param upstreamNanos  from the last attempt's start to the upstream response head, or -1 without a response
 * @param attempts       upstream attempts made (retries + 1), 0 when no server was tried
 * @param requestId      the X-Request-Id forwarded upstream, or {@code -}
 */
public record AccessLogEntry(long epochMillis, String client, String listener, String method, String uri, int status,
        long bytes, long totalNanos, String pool, String server, long upstreamNanos, int attempts, String requestId) {
}
