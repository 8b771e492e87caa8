package com.foobar.balancer.accesslog;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded queue drained by one daemon writer thread. Event loops only {@code offer}; a full queue drops the line
 * and counts it, because a slow disk or a blocked stdout pipe must never stall proxying.
 */
final class AsyncAccessLogWriter implements AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncAccessLogWriter.class);


    static final int DEFAULT_QUEUE_CAPACITY = 65_536;
    private static final int BATCH = 512;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final BlockingQueue<AccessLogEntry> queue;
    /** The writer thread's alone once it runs. */
    private Writer out;
    private final boolean ownsStream;
    /** The file {@link #reopen} opens again; null for a stream (stdout). */
    private final Path file;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;
    private volatile boolean reopenAsked;

    AsyncAccessLogWriter(OutputStream stream, boolean ownsStream, int capacity) {
        this(stream, ownsStream, null, capacity);
    }

    private AsyncAccessLogWriter(OutputStream stream, boolean ownsStream, Path file, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.out = writer(stream);
        this.ownsStream = ownsStream;
        this.file = file;
        this.writer = new Thread(this::drain, "balancer-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    static AsyncAccessLogWriter toFile(Path file, int capacity) throws IOException {
        return new AsyncAccessLogWriter(append(file), true, file, capacity);
    }

    private static OutputStream append(Path file) throws IOException {
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    private static Writer writer(OutputStream stream) {
        return new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
    }

    @Override
    public void reopen() {
        if (file != null) {
            reopenAsked = true;
        }
    }

    @Override
    public void log(AccessLogEntry entry) {
        if (closed || !queue.offer(entry)) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    private void drain() {
        List<AccessLogEntry> batch = new ArrayList<>(BATCH);
        StringBuilder line = new StringBuilder(256);
        boolean failed = false;
        try {
            while (true) {
                if (reopenAsked) {
                    reopenAsked = false;
                    if (reopenFile()) {
                        failed = false; // a new file: lines may be written again
                    }
                }
                AccessLogEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed) {
                        break;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                if (!failed) {
                    try {
                        for (AccessLogEntry e : batch) {
                            line.setLength(0);
                            format(e, line);
                            out.append(line);
                        }
                        if (queue.isEmpty()) {
                            out.flush();
                        }
                    } catch (IOException e) {
                        // A broken log target must not take the balancer down; say it once and keep counting drops.
                        failed = true;
                        LOG.error("access log: writing failed, further lines are dropped: {}", e.getMessage());
                    }
                }
                if (failed) {
                    dropped.addAndGet(batch.size());
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            out.flush();
            if (ownsStream) {
                out.close();
            }
        } catch (IOException ignored) {
            // nothing left to report to
        }
    }

    /**
     * What was written is flushed to the old file as it closes; lines still queued go to the new one. The new file is
     * opened before the old one is closed, so a file that cannot be opened leaves the log where it was. True when done.
     */
    private boolean reopenFile() {
        Writer next;
        try {
            next = writer(append(file));
        } catch (IOException e) {
            LOG.error("access log: cannot reopen {}, still writing to the file open before: {}", file,
                    e.getMessage());
            return false;
        }
        try {
            out.close();
        } catch (IOException e) {
            // the old file's last lines are lost with it; the new one takes the next
            LOG.error("access log: closing the old {} failed: {}", file, e.getMessage());
        }
        out = next;
        return true;
    }

    /**
     * {@code time client listener "METHOD uri" status bytes total_ms pool/server upstream_ms attempts request_id}.
     */
    static void format(AccessLogEntry e, StringBuilder sb) {
        TIME.formatTo(Instant.ofEpochMilli(e.epochMillis()), sb);
        sb.append(' ').append(e.client())
                .append(' ').append(e.listener())
                .append(" \"").append(e.method()).append(' ');
        appendSanitized(e.uri(), sb);
        sb.append("\" ").append(e.status())
                .append(' ').append(e.bytes())
                .append(' ');
        appendMillis(e.totalNanos(), sb);
        sb.append("ms ").append(e.pool()).append('/').append(e.server()).append(' ');
        if (e.upstreamNanos() < 0) {
            sb.append('-');
        } else {
            appendMillis(e.upstreamNanos(), sb);
            sb.append("ms");
        }
        sb.append(' ').append(e.attempts())
                .append(' ').append(e.requestId())
                .append('\n');
    }

    private static void appendMillis(long nanos, StringBuilder sb) {
        long micros = nanos / 1_000;
        sb.append(micros / 1_000).append('.');
        long frac = micros % 1_000;
        if (frac < 100) {
            sb.append('0');
        }
        if (frac < 10) {
            sb.append('0');
        }
        sb.append(frac);
    }

    // A request target is attacker-controlled: keep one request on one line and the quotes balanced.
    private static void appendSanitized(String s, StringBuilder sb) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"') {
                sb.append("%").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            } else {
                sb.append(c);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
