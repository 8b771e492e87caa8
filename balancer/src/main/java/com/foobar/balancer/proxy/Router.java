package com.foobar.balancer.proxy;

import com.foobar.balancer.config.ListenerConfig;
import com.foobar.balancer.config.RouteConfig;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;
import java.util.Locale;

/**
 * Picks a pool for a request by Host (case and port ignored) and path prefix; the first matching route wins, then the
 * listener's default pool. Matching compares regions in place, so routing a request allocates nothing.
 */
final class Router {

    /** Why no pool was found: no route knows the host (421), or one does but not the path (404). */
    enum Miss { UNKNOWN_HOST, UNKNOWN_PATH }

    private final String[][] hosts;
    private final String[] prefixes;
    private final String[] pools;
    private final String defaultPool;

    Router(ListenerConfig config) {
        List<RouteConfig> routes = config.routes();
        int n = routes.size();
        hosts = new String[n][];
        prefixes = new String[n];
        pools = new String[n];
        for (int i = 0; i < n; i++) {
            RouteConfig r = routes.get(i);
            hosts[i] = r.hosts().stream().map(h -> h.toLowerCase(Locale.ROOT)).toArray(String[]::new);
            prefixes[i] = r.pathPrefix();
            pools[i] = r.pool();
        }
        defaultPool = config.defaultPool();
    }

    /**
     * The pool for a request, or null.
     *
     * @param host the Host header as received (may carry a port; may be null)
     * @param path the request path (origin form)
     */
    String route(String host, String path) {
        int hostLen = hostLength(host);
        for (int i = 0; i < pools.length; i++) {
            if (hostMatches(hosts[i], host, hostLen) && path.startsWith(prefixes[i])) {
                return pools[i];
            }
        }
        return defaultPool;
    }

    /** The answer to a request {@link #route} found no pool for: 421 when no route knows its host, else 404. */
    Refusal refusal(String host, String path) {
        if (miss(host) == Miss.UNKNOWN_HOST) {
            return Refusal.keepingAlive(HttpResponseStatus.MISDIRECTED_REQUEST,
                    "no route for host \"" + Refusal.abbreviate(host == null ? "" : host) + "\"");
        }
        return Refusal.keepingAlive(HttpResponseStatus.NOT_FOUND,
                "no route for path \"" + Refusal.abbreviate(path) + "\"");
    }

    /** Classifies a request {@link #route} found no pool for. */
    Miss miss(String host) {
        int hostLen = hostLength(host);
        for (String[] h : hosts) {
            if (h.length > 0 && hostMatches(h, host, hostLen)) {
                return Miss.UNKNOWN_PATH;
            }
        }
        for (String[] h : hosts) {
            if (h.length == 0) {
                return Miss.UNKNOWN_PATH;
            }
        }
        return Miss.UNKNOWN_HOST;
    }

    private static boolean hostMatches(String[] candidates, String host, int hostLen) {
        if (candidates.length == 0) {
            return true;
        }
        if (host == null) {
            return false;
        }
        for (String c : candidates) {
            if (c.length() == hostLen && host.regionMatches(true, 0, c, 0, hostLen)) {
                return true;
            }
        }
        return false;
    }

    /** Length of the host part of a Host header: without {@code :port}; an IPv6 literal keeps its brackets off. */
    static int hostLength(String host) {
        if (host == null) {
            return -1;
        }
        int len = host.length();
        if (len > 0 && host.charAt(0) == '[') {
            int close = host.indexOf(']');
            return close < 0 ? len : close + 1;
        }
        int colon = host.indexOf(':');
        return colon < 0 ? len : colon;
    }
}
