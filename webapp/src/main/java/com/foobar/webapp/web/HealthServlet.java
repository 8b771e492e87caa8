package com.foobar.webapp.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.Map;
import java.util.Set;

/** {@code GET /health}: liveness. The process serves requests; it says nothing about the database. */
final class HealthServlet extends Endpoint {

    private static final long serialVersionUID = 1L;

    HealthServlet(WebServices services) {
        super(services);
    }

    @Override
    Set<String> methods() {
        return Set.of("GET");
    }

    @Override
    void get(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        resp.setHeader("Cache-Control", "no-store");
        sendJson(resp, Map.of("status", "UP", "server", services.serverName()));
    }
}
