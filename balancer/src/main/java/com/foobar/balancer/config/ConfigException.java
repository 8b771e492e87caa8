package com.foobar.balancer.config;

/**
 * A configuration that cannot be used. The message always names the offending field path, so a user can find it
 * without a stack trace: {@code pools.web.servers[1].address: "web-2:80x" is not host:port}.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    public ConfigException(String path, String reason) {
        super(path.isEmpty() ? reason : path + ": " + reason, null, false, false);
        this.path = path;
        this.reason = reason;
    }

    /** The field path, e.g. {@code pools.web.servers[1].address}; empty for the document as a whole. */
    public String path() {
        return path;
    }

    /** What is wrong with the field, e.g. {@code "web-2:80x" is not host:port}. */
    public String reason() {
        return reason;
    }
}
