package com.foobar.webapp.web;

/** The path names nothing that exists: 404. */
public final class ResourceNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ResourceNotFoundException(String message) {
        super(message, null, false, false);
    }
}
