package com.foobar.webapp.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.Set;

/** The default mapping: whatever no other servlet claims is a 404, whatever the method. */
final class NotFoundServlet extends Endpoint {

    private static final long serialVersionUID = 1L;

    NotFoundServlet(WebServices services) {
        super(services);
    }

    @Override
    Set<String> methods() {
        return Set.of("GET", "POST");
    }

    @Override
    boolean anyMethod() {
        return true;
    }

    @Override
    boolean html(HttpServletRequest req) {
        return !req.getRequestURI().startsWith("/api/");
    }

    @Override
    void get(HttpServletRequest req, HttpServletResponse resp) {
        throw new ResourceNotFoundException("nothing lives at " + req.getRequestURI());
    }
}
