package com.foobar.webapp.web;

/** The request is malformed or a field fails validation: 400 with {@code {"error":…,"field":…}}. */
public final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Names the body as a whole when the failure is not about one field. */
    public static final String BODY = "body";

    private final String field;

    public BadRequestException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
