package com.foobar.webapp.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** {@code GET /metrics}: Prometheus text exposition of the {@code webapp_}, db-router, pool and JVM metrics. */
final class MetricsServlet extends Endpoint {

    private static final long serialVersionUID = 1L;
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    MetricsServlet(WebServices services) {
        super(services);
    }

    @Override
    Set<String> methods() {
        return Set.of("GET");
    }

    @Override
    void get(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        byte[] body = services.scraper().scrape().getBytes(StandardCharsets.UTF_8);
        resp.setContentType(CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
