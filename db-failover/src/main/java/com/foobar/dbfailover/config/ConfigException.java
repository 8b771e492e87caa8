package com.foobar.dbfailover.config;

/** A configuration error: {@code path: reason}, where the path names the key (or the environment variable). */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final String reason;

    public ConfigException(String path, String reason) {
        super(path.isEmpty() ? reason : path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    public String path() {
        return path;
    }

    public String reason() {
        return reason;
    }
}
