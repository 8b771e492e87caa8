package com.foobar.balancer.config;

import java.util.Locale;
import java.util.Objects;

/**
 * Request size limits and the policy for header names with underscores (as Envoy's
 * {@code headers_with_underscores_action}). {@code maxBodySize} 0 means no limit, so streamed uploads of any size
 * pass unless a listener sets one.
 */
public record HttpLimitsConfig(int maxRequestLine, int maxHeaderSize, long maxBodySize, UnderscorePolicy underscores) {

    public static final int DEFAULT_MAX_REQUEST_LINE = 8 * 1024;
    public static final int DEFAULT_MAX_HEADER_SIZE = 16 * 1024;
    public static final long NO_BODY_LIMIT = 0;
    public static final HttpLimitsConfig DEFAULT = new HttpLimitsConfig(DEFAULT_MAX_REQUEST_LINE,
            DEFAULT_MAX_HEADER_SIZE, NO_BODY_LIMIT, UnderscorePolicy.ALLOW);

    /** What to do with a request header whose name contains {@code _}. */
    public enum UnderscorePolicy {
        ALLOW, DROP, REJECT;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public HttpLimitsConfig {
        Objects.requireNonNull(underscores, "underscores");
        if (maxRequestLine < 1 || maxHeaderSize < 1 || maxBodySize < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
