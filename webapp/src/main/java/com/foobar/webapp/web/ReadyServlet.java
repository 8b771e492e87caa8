package com.foobar.webapp.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /ready}: 200 when the primary and at least one read path are usable, else 503 with the reason. The
 * balancer's health check points here, so an instance whose database is gone stops getting traffic.
 */
final class ReadyServlet extends Endpoint {

    private static final long serialVersionUID = 1L;

    ReadyServlet(WebServices services) {
        super(services);
    }

    @Override
    Set<String> methods() {
        return Set.of("GET");
    }

    @Override
    void get(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        ReadinessChecker.Readiness r = services.readiness().check();
        resp.setStatus(r.ready() ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        resp.setHeader("Cache-Control", "no-store");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", r.ready() ? "READY" : "NOT_READY");
        body.put("server", services.serverName());
        body.put("reason", r.reason());
        sendJson(resp, body);
    }
}
