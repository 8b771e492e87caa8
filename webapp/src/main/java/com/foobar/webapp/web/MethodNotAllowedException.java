package com.foobar.webapp.web;

/** The resource exists but not for this method: 405 (the thrower sets {@code Allow}). */
final class MethodNotAllowedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MethodNotAllowedException(String message) {
        super(message, null, false, false);
    }
}
