package com.foobar.webapp.web;

import com.foobar.dbrouter.PrimaryUnavailableException;
import com.foobar.dbrouter.WriteRefusal;
import com.foobar.webapp.shop.InsufficientStockException;
import com.foobar.webapp.shop.ProductNotFoundException;
import com.foobar.webapp.shop.Routed;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Base of every servlet of the app. It answers methods it does not implement with 405 and an {@code Allow}
 * header, turns each failure into its status with a one-line reason (JSON for the API, a page for HTML), and never
 * lets a stack trace reach a client: unexpected failures are logged here and answered with a plain 500.
 */
abstract class Endpoint extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

    static final String DB_NODE_HEADER = "X-Db-Node";
    static final String JSON = "application/json";
    /** Seconds a client should wait before retrying when the database fails otherwise. */
    static final String RETRY_AFTER_SECONDS = "5";
    /** Up to this much of an unread request body is read and dropped before an error answer (see discardUnreadBody). */
    static final long DISCARD_LIMIT = 64 * 1024;

    protected final transient WebServices services;

    Endpoint(WebServices services) {
        this.services = services;
    }

    /** The methods this endpoint implements, HEAD and OPTIONS aside. */
    abstract Set<String> methods();

    /** Whether errors are answered as HTML pages rather than JSON. */
    boolean html(HttpServletRequest req) {
        return false;
    }

    /** Whether every method is handed to {@link #get} (the catch-all 404). */
    boolean anyMethod() {
        return false;
    }

    void get(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        throw new IllegalStateException("GET not implemented");
    }

    void post(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        throw new IllegalStateException("POST not implemented");
    }

    @Override
    protected final void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        Set<String> methods = methods();
        try {
            if (anyMethod()) {
                get(req, resp);
            } else if (method.equals("OPTIONS")) {
                resp.setHeader("Allow", allow(methods));
                resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
            } else if (method.equals("GET") && methods.contains("GET")
                    || method.equals("HEAD") && methods.contains("GET")) {
                get(req, resp);
            } else if (method.equals("POST") && methods.contains("POST")) {
                post(req, resp);
            } else {
                resp.setHeader("Allow", allow(methods));
                fail(req, resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                        method + " is not allowed here; use " + allow(methods), null);
            }
        } catch (BadRequestException e) {
            fail(req, resp, HttpServletResponse.SC_BAD_REQUEST, e.getMessage(), e.field());
        } catch (MethodNotAllowedException e) {
            fail(req, resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, e.getMessage(), null);
        } catch (ResourceNotFoundException e) {
            fail(req, resp, HttpServletResponse.SC_NOT_FOUND, e.getMessage(), null);
        } catch (ProductNotFoundException e) {
            // Both come out of the order transaction, which ran (and rolled back) on the primary.
            resp.setHeader(DB_NODE_HEADER, "primary");
            fail(req, resp, HttpServletResponse.SC_NOT_FOUND, e.getMessage(), "product_id");
        } catch (InsufficientStockException e) {
            resp.setHeader(DB_NODE_HEADER, "primary");
            services.metrics().orderRejected("insufficient_stock");
            fail(req, resp, HttpServletResponse.SC_CONFLICT, e.getMessage(), "quantity");
        } catch (UnsupportedMediaTypeException e) {
            fail(req, resp, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, e.getMessage(), null);
        } catch (PayloadTooLargeException e) {
            fail(req, resp, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, e.getMessage(), null);
        } catch (PrimaryUnavailableException e) {
            // No single writable database node: down, a failover or switchover under way, or split brain. The
            // router names the state; the client gets when to retry and one line (no node names: those are ours).
            WriteRefusal refusal = e.refusal();
            services.metrics().writeRefused(refusal);
            LOG.debug("{} {}: write refused: {}", method, req.getRequestURI(), e.getMessage());
            resp.setHeader("Retry-After", Long.toString(Math.max(1, refusal.retryAfter().toSeconds())));
            fail(req, resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, refusalMessage(refusal), null);
        } catch (SQLException e) {
            LOG.warn("{} {} failed on the database: {}", method, req.getRequestURI(), e.toString());
            resp.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            fail(req, resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the database is unavailable; retry shortly",
                    null);
        } catch (IOException e) {
            // The client went away mid-response (or sent a broken body); there is nobody left to answer.
            LOG.debug("{} {}: {}", method, req.getRequestURI(), e.toString());
        } catch (Exception e) {
            LOG.error("{} {} failed", method, req.getRequestURI(), e);
            fail(req, resp, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal error", null);
        }
    }

    /** The one line a client gets for a refused write. */
    static String refusalMessage(WriteRefusal refusal) {
        return switch (refusal) {
            case WRITER_DOWN -> "the primary database is unavailable, writes are refused for now; retry shortly";
            case NO_WRITER -> "the primary database is being switched over (no node takes writes yet), writes are"
                    + " refused for now; retry shortly";
            case WRITER_TURNED_READ_ONLY -> "the primary database was switched over during this write, nothing was"
                    + " written; retry shortly";
            case SPLIT_BRAIN -> "more than one database node takes writes (split brain), writes are refused until"
                    + " one is fenced; retry later";
        };
    }

    /**
     * An error answered before the request body was read leaves that body on the connection, and Jetty then closes
     * the connection after the response, possibly before the client sees that it will: a client that reuses it (the
     * JDK client, a balancer's keep-alive pool) fails its next request. A small body is read and dropped so the
     * connection stays usable; a large or unreadable one gets {@code Connection: close}, so the client knows.
     */
    private static void discardUnreadBody(HttpServletRequest req, HttpServletResponse resp) {
        long length = req.getContentLengthLong();
        if (length == 0 || length < 0 && req.getHeader("Transfer-Encoding") == null) {
            return;
        }
        if (length > DISCARD_LIMIT) {
            resp.setHeader("Connection", "close");
            return;
        }
        try {
            InputStream in = req.getInputStream();
            byte[] buffer = new byte[8192];
            long left = DISCARD_LIMIT;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
                left -= n;
            }
            if (left <= 0) {
                resp.setHeader("Connection", "close");
            }
        } catch (IOException | IllegalStateException e) {
            // Already read through getReader(), or the client broke off: don't reuse the connection.
            resp.setHeader("Connection", "close");
        }
    }

    private static String allow(Set<String> methods) {
        Set<String> all = new TreeSet<>(methods);
        if (all.contains("GET")) {
            all.add("HEAD");
        }
        all.add("OPTIONS");
        return String.join(", ", all);
    }

    private void fail(HttpServletRequest req, HttpServletResponse resp, int status, String message, String field)
            throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        discardUnreadBody(req, resp);
        resp.resetBuffer();
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        if (html(req) && !wantsJson(req)) {
            sendPage(req, resp, status + " " + Pages.reason(status), services.pages().error(status, message));
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", message);
            body.put("field", field);
            sendJson(resp, body);
        }
    }

    private static boolean wantsJson(HttpServletRequest req) {
        String accept = req.getHeader("Accept");
        return accept != null && accept.contains(JSON) && !accept.contains("text/html");
    }

    static void sendJson(HttpServletResponse resp, Object body) throws IOException {
        byte[] bytes = Json.write(body);
        resp.setContentType(JSON);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    void sendPage(HttpServletRequest req, HttpServletResponse resp, String title, Html content) throws IOException {
        String node = resp.getHeader(DB_NODE_HEADER);
        byte[] bytes = services.pages().layout(title, content, services.serverName(), node == null ? "none" : node)
                .markup().getBytes(StandardCharsets.UTF_8);
        resp.setContentType("text/html;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    Visitor visitor(HttpServletRequest req, HttpServletResponse resp) {
        return Visitor.of(req, resp, services.metrics()::visitorIssued);
    }

    /** Unwraps a database result, telling the client which node served it. */
    static <T> T served(HttpServletResponse resp, Routed<T> routed) {
        if (routed.node() != null) {
            resp.setHeader(DB_NODE_HEADER, routed.node());
        }
        Visitor.rememberWrite(resp, routed.token());
        return routed.value();
    }

    /** Parses a path segment as a positive id; anything else names nothing, so it is a 404. */
    static long idFrom(String segment) {
        if (segment == null || segment.isEmpty() || segment.length() > 18 || !segment.chars().allMatch(
                Character::isDigit)) {
            throw new ResourceNotFoundException("no such resource");
        }
        long id = Long.parseLong(segment);
        if (id <= 0) {
            throw new ResourceNotFoundException("no such resource");
        }
        return id;
    }
}
