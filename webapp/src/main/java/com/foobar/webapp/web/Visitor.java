package com.foobar.webapp.web;

import com.foobar.dbrouter.ConsistencyToken;
import com.foobar.dbrouter.InvalidConsistencyTokenException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who is calling, by the {@code foobar_visitor} cookie (issued on first contact), and the consistency token of
 * their last write, by the {@code foobar_consistency} cookie or the {@code X-Consistency-Token} header. The token
 * travels with the visitor because their next request may land on the other web server.
 */
record Visitor(String id, ConsistencyToken token) {

    static final String VISITOR_COOKIE = "foobar_visitor";
    static final String TOKEN_COOKIE = "foobar_consistency";
    static final String TOKEN_HEADER = "X-Consistency-Token";
    static final Duration VISITOR_MAX_AGE = Duration.ofDays(365);
    /** Long past any replica lag worth waiting for: after that the replica has the write or is out of the pool. */
    static final Duration TOKEN_MAX_AGE = Duration.ofMinutes(10);

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String ATTRIBUTE = Visitor.class.getName();

    /** The caller, issuing a visitor cookie when the request has no valid one. */
    static Visitor of(HttpServletRequest req, HttpServletResponse resp, Runnable onIssue) {
        Object cached = req.getAttribute(ATTRIBUTE);
        if (cached instanceof Visitor v) {
            return v;
        }
        String id = null;
        String tokenText = req.getHeader(TOKEN_HEADER);
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (VISITOR_COOKIE.equals(c.getName()) && UUID_TEXT.matcher(c.getValue()).matches()) {
                    id = c.getValue();
                } else if (TOKEN_COOKIE.equals(c.getName()) && tokenText == null) {
                    tokenText = c.getValue();
                }
            }
        }
        if (id == null) {
            id = UUID.randomUUID().toString();
            resp.addCookie(cookie(VISITOR_COOKIE, id, VISITOR_MAX_AGE));
            onIssue.run();
        }
        Visitor v = new Visitor(id, parseToken(tokenText));
        req.setAttribute(ATTRIBUTE, v);
        return v;
    }

    /** Hands the token of a write back to the client, as a cookie for browsers and a header for API clients. */
    static void rememberWrite(HttpServletResponse resp, ConsistencyToken token) {
        if (token == null) {
            return;
        }
        String encoded = token.encode();
        resp.addCookie(cookie(TOKEN_COOKIE, encoded, TOKEN_MAX_AGE));
        resp.setHeader(TOKEN_HEADER, encoded);
    }

    /** A token that does not parse (tampered, or from another cluster) is ignored: the read is just not causal. */
    private static ConsistencyToken parseToken(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return ConsistencyToken.parse(text.trim());
        } catch (InvalidConsistencyTokenException e) {
            return null;
        }
    }

    private static Cookie cookie(String name, String value, Duration maxAge) {
        Cookie c = new Cookie(name, value);
        c.setPath("/");
        c.setHttpOnly(true);
        c.setMaxAge((int) maxAge.toSeconds());
        c.setAttribute("SameSite", "Lax");
        return c;
    }
}
