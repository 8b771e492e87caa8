package com.foobar.dbrouter;

/** A {@link RouterConfig} field is missing or wrong; the message starts with the field's path. */
public class InvalidRouterConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidRouterConfigException(String message) {
        super(message);
    }
}
