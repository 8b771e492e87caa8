package com.foobar.balancer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads when the configuration file's content changes. Polls rather than using a WatchService: editors and
 * config-management tools replace files by rename, which directory watches report unreliably across platforms, and
 * reading one small file a second costs nothing.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);


    /** How often the file is checked; {@code -Dbalancer.config.poll=200} (ms) for impatient tests. */
    static final long POLL_MILLIS = Long.getLong("balancer.config.poll", 1_000L);

    private final Path file;
    private final Runnable onChange;
    private final ScheduledExecutorService executor;
    private byte[] lastContent;

    ConfigWatcher(Path file, Runnable onChange) {
        this.file = file;
        this.onChange = onChange;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "balancer-config-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        snapshot();
        executor.scheduleWithFixedDelay(this::check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void snapshot() {
        try {
            lastContent = Files.readAllBytes(file);
        } catch (IOException e) {
            lastContent = null;
        }
    }

    private void check() {
        try {
            // Content, not mtime: a same-size rewrite within the clock's granularity must not go unnoticed.
            byte[] content = Files.readAllBytes(file);
            if (Arrays.equals(content, lastContent)) {
                return;
            }
            lastContent = content;
            onChange.run();
        } catch (IOException e) {
            // Mid-replace or deleted: look again next time; the running configuration stays.
        } catch (RuntimeException e) {
            LOG.error("reload failed", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
