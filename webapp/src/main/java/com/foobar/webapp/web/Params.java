package com.foobar.webapp.web;

import jakarta.servlet.http.HttpServletRequest;

/** Query and form parameters, validated with a 400 that names the parameter. */
final class Params {

    private Params() {
    }

    static int intParam(HttpServletRequest req, String name, int dflt, int min, int max) {
        String v = req.getParameter(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        return parseInt(name, v, min, max);
    }

    static int requiredInt(HttpServletRequest req, String name, int min, int max) {
        String v = req.getParameter(name);
        if (v == null || v.isBlank()) {
            throw new BadRequestException(name, "is required");
        }
        return parseInt(name, v, min, max);
    }

    static String text(HttpServletRequest req, String name, int maxLength) {
        String v = req.getParameter(name);
        if (v == null) {
            return "";
        }
        v = v.strip();
        if (v.codePointCount(0, v.length()) > maxLength) {
            throw new BadRequestException(name, "must be at most " + maxLength + " characters");
        }
        return v;
    }

    private static int parseInt(String name, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadRequestException(name, "must be an integer between " + min + " and " + max);
    }
}
