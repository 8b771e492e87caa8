package com.foobar.balancer.accesslog;

import com.foobar.balancer.config.AccessLogConfig;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

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
                OutputStream out = Files.newOutputStream(config.file(), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                return new AsyncAccessLogWriter(out, true, AsyncAccessLogWriter.DEFAULT_QUEUE_CAPACITY);
            default:
                throw new IllegalArgumentException("unknown access log target " + config.target());
        }
    }

    /** An access log writing to {@code out}; the stream is closed with the log when {@code ownsStream}. */
    static AccessLog to(OutputStream out, boolean ownsStream, int queueCapacity) {
        return new AsyncAccessLogWriter(out, ownsStream, queueCapacity);
    }
}
