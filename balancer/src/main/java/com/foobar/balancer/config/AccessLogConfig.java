package com.foobar.balancer.config;

import java.nio.file.Path;

/** Where the access log goes: {@code stdout}, {@code off}, or a file path ({@code file} non-null only for FILE). */
public record AccessLogConfig(Target target, Path file) {
    public static final AccessLogConfig STDOUT = new AccessLogConfig(Target.STDOUT, null);
    public static final AccessLogConfig OFF = new AccessLogConfig(Target.OFF, null);
    public static final AccessLogConfig DEFAULT = STDOUT;

    public enum Target { STDOUT, OFF, FILE }

    public AccessLogConfig {
        if (target == null) {
            throw new IllegalArgumentException("target is null");
        }
        if ((target == Target.FILE) != (file != null)) {
            throw new IllegalArgumentException("a file is given exactly when the target is FILE");
        }
    }

    public static AccessLogConfig file(Path file) {
        return new AccessLogConfig(Target.FILE, file);
    }
}
