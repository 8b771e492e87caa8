package com.foobar.balancer.config;

/**
 * A TLS listener's HTTP/2 settings, sent to each client in the server's SETTINGS. The defaults are RFC 9113's
 * suggested floor for concurrency and its initial flow-control window.
 */
public record Http2Config(int maxConcurrentStreams, int initialWindowSize) {

    public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 100;
    public static final int DEFAULT_INITIAL_WINDOW_SIZE = 65_535;
    public static final int MAX_CONCURRENT_STREAMS_LIMIT = 10_000;
    public static final int MIN_WINDOW_SIZE = 1024;
    /** A client may keep this much unread request body buffered per stream; more is memory for nothing. */
    public static final int MAX_WINDOW_SIZE = 16 << 20;
    public static final Http2Config DEFAULT = new Http2Config(DEFAULT_MAX_CONCURRENT_STREAMS,
            DEFAULT_INITIAL_WINDOW_SIZE);

    public Http2Config {
        if (maxConcurrentStreams < 1 || maxConcurrentStreams > MAX_CONCURRENT_STREAMS_LIMIT) {
            throw new IllegalArgumentException("maxConcurrentStreams out of range");
        }
        if (initialWindowSize < MIN_WINDOW_SIZE || initialWindowSize > MAX_WINDOW_SIZE) {
            throw new IllegalArgumentException("initialWindowSize out of range");
        }
    }
}
