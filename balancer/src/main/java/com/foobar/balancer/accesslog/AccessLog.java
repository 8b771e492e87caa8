package com.foobar.balancer.accesslog;

import com.foobar.balancer.config.AccessLogConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Where proxied requests are recorded, one line each. {@link #log} is called on event loops and never blocks: lines
 * that cannot be queued are counted in {@link #dropped()} instead.
 */
public interface AccessLog extends AutoCloseable {

    /** An access log that records nothing. */
    AccessLog OFF = new AccessLog() {
        @Override
        public void log(AccessLogEntry entry) {
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void close() {
        }
    };

    void log(AccessLogEntry entry);

    /** False when lines are thrown away anyway, so callers can skip building them. */
    default boolean enabled() {
        return true;
    }

    /** Lines lost because the writer fell behind. */
    long dropped();

    /**
     * Opens the log file again by its name, after a rotation (logrotate moved it away): what was written is flushed to
     * the old file, the next lines go to the new one. The writer thread does it, so this returns at once. No-op for
     * stdout.
     */
    default void reopen() {
    }

    @Override
    void close();

    /**
     * Opens the access log a configuration asks for.
     *
     * @throws IOException when the log file cannot be opened for appending
     */
    static AccessLog open(AccessLogConfig config) throws IOException {
        switch (config.target()) {
            case OFF:
                return OFF;
            case STDOUT:
                return new AsyncAccessLogWriter(System.out, false, AsyncAccessLogWriter.DEFAULT_QUEUE_CAPACITY);
            case FILE:
                return toFile(config.file(), AsyncAccessLogWriter.DEFAULT_QUEUE_CAPACITY);
            default:
                throw new IllegalArgumentException("unknown access log target " + config.target());
        }
    }

    /** An access log appending to {@code file}, which {@link #reopen} opens again by its name. */
    static AccessLog toFile(Path file, int queueCapacity) throws IOException {
        return AsyncAccessLogWriter.toFile(file, queueCapacity);
    }

    /** An access log writing to {@code out}; the stream is closed with the log when {@code ownsStream}. */
    static AccessLog to(OutputStream out, boolean ownsStream, int queueCapacity) {
        return new AsyncAccessLogWriter(out, ownsStream, queueCapacity);
    }
}
