package com.foobar.balancer.accesslog;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;

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

    /** What the log shows for a field it has no value for. */
    public static final String NONE = "-";

    /**
     * A request the balancer answered itself before any server saw it: a guard's refusal (400, 413, 429 ...) or a
     * header timeout's 408. As HAProxy logs its own refusals, so an operator finds them where the other requests are.
     *
     * @param method the request's method, or {@link #NONE} when its head never arrived whole
     * @param uri    the request target, or {@link #NONE}
     * @param bytes  the body bytes of the balancer's answer, 0 when it only closed
     */
    public static AccessLogEntry answeredByBalancer(Channel channel, String listener, String method, String uri,
            int status, long bytes) {
        String client = NONE;
        if (channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            client = a.getAddress().getHostAddress() + ':' + a.getPort();
        }
        return new AccessLogEntry(System.currentTimeMillis(), client, listener, method, uri, status, bytes, 0L, NONE,
                NONE, -1L, 0, NONE);
    }
}
