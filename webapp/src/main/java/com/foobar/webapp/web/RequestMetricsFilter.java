package com.foobar.webapp.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;

/** Times every request into {@code webapp_http_requests_seconds}, labelled by the servlet that served it. */
final class RequestMetricsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private final transient ShopMetrics metrics;

    RequestMetricsFilter(ShopMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        long start = System.nanoTime();
        try {
            chain.doFilter(req, resp);
        } finally {
            String route = req.getHttpServletMapping() == null ? "unknown"
                    : req.getHttpServletMapping().getServletName();
            metrics.request(req.getMethod(), route, resp.getStatus(), Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
