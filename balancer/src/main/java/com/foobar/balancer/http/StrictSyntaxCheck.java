package com.foobar.balancer.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Iterator;
import java.util.Locale;

/**
 * The request checks that Netty's strict decoder leaves to us: several {@code Host} headers, a
 * {@code Host} that disagrees with an absolute-form target, and control characters in the target. Each gets 400 and
 * a close, and nothing reaches a server. Decoder failures pass through untouched (the proxy answers those).
 */
final class StrictSyntaxCheck implements HeadCheck {

    /** Checking the target's length is left to the HTTP/1.1 decoder, which sees the whole request line. */
    static final int DECODER_CHECKS_TARGET = 0;

    private final int maxTarget;

    /**
     * @param maxTarget the longest request target (an h2 {@code :path}) taken, longer gets 414; or
     *                  {@link #DECODER_CHECKS_TARGET}
     */
    StrictSyntaxCheck(int maxTarget) {
        this.maxTarget = maxTarget;
    }

    @Override
    public Refusal check(HttpRequest req) {
        if (maxTarget != DECODER_CHECKS_TARGET && req.uri().length() > maxTarget) {
            return new Refusal(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request target of " + req.uri().length()
                    + " bytes is over the limit of " + maxTarget);
        }
        String problem = problem(req);
        return problem == null ? null : new Refusal(HttpResponseStatus.BAD_REQUEST, problem);
    }

    static String problem(HttpRequest req) {
        String uri = req.uri();
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return "control character, space or non-ASCII byte in the request target";
            }
        }
        // One value iterator instead of getAll's lists: this runs for every request.
        String host = null;
        for (Iterator<String> it = req.headers().valueStringIterator(HttpHeaderNames.HOST); it.hasNext(); ) {
            String v = it.next();
            if (host != null) {
                return "several Host headers";
            }
            host = v.trim();
        }
        if (host != null && !validHost(host)) {
            return "Host \"" + host + "\" is not host[:port]";
        }
        if (!uri.startsWith("/") && !uri.equals("*")) {
            int scheme = uri.indexOf("://");
            if (scheme > 0) {
                int start = scheme + 3;
                int end = start;
                while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
                    end++;
                }
                String authority = uri.substring(start, end);
                int at = authority.lastIndexOf('@');
                if (at >= 0) {
                    return "userinfo in the request target";
                }
                if (host != null && !sameAuthority(authority, host)) {
                    return "Host \"" + host + "\" disagrees with the request target's \"" + authority
                            + "\"";
                }
            }
        }
        return null;
    }

    /** RFC 3986 reg-name / IPv4 / [IPv6] with an optional port; empty is left to the proxy (400 for HTTP/1.1). */
    static boolean validHost(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:[]%".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameAuthority(String target, String host) {
        return strip(target).equals(strip(host));
    }

    /** Lower-cased, without a default port, so {@code a.com:80} and {@code A.com} agree. */
    private static String strip(String authority) {
        String a = authority.toLowerCase(Locale.ROOT);
        if (a.endsWith(":80") || a.endsWith(":443")) {
            a = a.substring(0, a.lastIndexOf(':'));
        }
        return a;
    }
}
