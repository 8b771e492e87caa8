package com.foobar.webapp.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/status}: this web server as a status page draws it. Its readiness (as {@code /ready} says), the
 * requests and server errors it answered so far, and the database tier as its router sees it. Counters only grow; a
 * poller takes differences for rates.
 */
final class StatusServlet extends Endpoint {

    private static final long serialVersionUID = 1L;

    StatusServlet(WebServices services) {
        super(services);
    }

    @Override
    Set<String> methods() {
        return Set.of("GET");
    }

    @Override
    void get(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        ReadinessChecker.Readiness r = services.readiness().check();
        resp.setHeader("Cache-Control", "no-store");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("server", services.serverName());
        body.put("ready", r.ready());
        body.put("reason", r.reason());
        body.put("requests", services.metrics().requests());
        body.put("server_errors", services.metrics().serverErrors());
        body.put("database", services.database().describe());
        sendJson(resp, body);
    }
}
