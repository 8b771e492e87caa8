package com.foobar.balancer.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Fails a test class when Netty's leak detector reports a buffer (or any tracked resource) that was never released
 * while the class ran. Registered for every test class of this module (META-INF/services and
 * {@code junit-platform.properties}); the module's Surefire configuration runs the detector at {@code paranoid}, so
 * every buffer is tracked, not one in 128.
 *
 * <p>Netty reports a leak only when the garbage collector has found the buffer unreachable and a later allocation
 * polls the detector's queue. So after each class this forces a collection, waits until the reference handler has
 * enqueued what that collection found (a sentinel reference of our own tells when), allocates a tracked buffer from
 * each allocator to make the detectors report, and then looks at what was reported. The reports themselves are read
 * from Netty's logger ({@code io.netty.util.ResourceLeakDetector}, JDK logging in this module), so they also still
 * appear in the test output with their access records.
 */
public final class NettyLeakCheck implements AfterAllCallback {

    /** Netty's log name for leak reports; held strongly, so that the handler added here stays on it. */
    private static final Logger NETTY = Logger.getLogger(ResourceLeakDetector.class.getName());
    private static final ConcurrentLinkedQueue<String> REPORTED = new ConcurrentLinkedQueue<>();
    private static final int COLLECTIONS = 3;
    private static final long SENTINEL_WAIT_MILLIS = 2_000;

    static {
        NETTY.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getMessage();
                if (record.getLevel().intValue() >= Level.SEVERE.intValue() && message != null
                        && message.startsWith("LEAK:")) {
                    REPORTED.add(message);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        List<String> leaks = reportedSinceLastLook();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leak(s) while "
                    + context.getDisplayName() + " ran (records in the test output); the first:\n" + leaks.get(0));
        }
    }

    /** Makes the detectors report what is unreachable now, and returns the reports not seen before. */
    static List<String> reportedSinceLastLook() throws InterruptedException {
        collect();
        List<String> leaks = new ArrayList<>();
        String leak;
        while ((leak = REPORTED.poll()) != null) {
            leaks.add(leak);
        }
        return leaks;
    }

    private static void collect() throws InterruptedException {
        for (int i = 0; i < COLLECTIONS; i++) {
            ReferenceQueue<Object> queue = new ReferenceQueue<>();
            WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
            System.gc();
            // The reference handler enqueues what one collection cleared together: once our sentinel is in, the
            // detectors' references from the same collection are too.
            if (queue.remove(SENTINEL_WAIT_MILLIS) == null) {
                sentinel.clear();
            }
            touch(PooledByteBufAllocator.DEFAULT.buffer(1));
            touch(UnpooledByteBufAllocator.DEFAULT.buffer(1));
            touch(PooledByteBufAllocator.DEFAULT.directBuffer(1));
            touch(UnpooledByteBufAllocator.DEFAULT.directBuffer(1));
        }
    }

    private static void touch(ByteBuf b) {
        b.release();
    }
}
