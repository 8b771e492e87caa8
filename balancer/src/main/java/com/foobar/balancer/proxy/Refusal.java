package com.foobar.balancer.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The balancer's own answer to a request it will not (or can no longer) proxy: a status, one line saying why, and
 * whether the client connection must close after it whatever keep-alive would allow (a malformed request leaves
 * nothing after it that can be trusted to be framed right).
 */
record Refusal(HttpResponseStatus status, String reason, boolean close) {

    static Refusal closing(HttpResponseStatus status, String reason) {
        return new Refusal(status, reason, true);
    }

    static Refusal keepingAlive(HttpResponseStatus status, String reason) {
        return new Refusal(status, reason, false);
    }

    /** At most 200 characters of {@code s} on one line: a reason must not split the response or the log line. */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.replace('\r', ' ').replace('\n', ' ');
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** At most 100 characters of what a client sent, control characters and quotes replaced, to quote it back. */
    static String abbreviate(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 100));
        for (int i = 0; i < s.length() && i < 100; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || c == '"' ? '?' : c);
        }
        if (s.length() > 100) {
            sb.append("...");
        }
        return sb.toString();
    }
}
