package com.foobar.bench.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrHotSpotsTest {

    static volatile Object sink;

    /** Allocates and burns CPU for a bounded time, so that the recording has samples of both. */
    private static long busyAllocating(Duration forAtLeast) {
        long until = System.nanoTime() + forAtLeast.toNanos();
        long sum = 0;
        for (int i = 0; i < 50_000_000 && System.nanoTime() < until; i++) {
            byte[] garbage = new byte[1024];
            garbage[i & 1023] = (byte) i;
            sink = garbage;
            sum += garbage[(i * 31) & 1023];
        }
        return sum;
    }

    /**
     * Works until a second recording, watched live, has seen CPU and allocation samples of this thread: on a busy
     * machine a fixed time may see none. Bounded by {@code limit}.
     */
    private static void busyUntilSampled(Duration limit) {
        AtomicInteger cpu = new AtomicInteger();
        AtomicInteger allocation = new AtomicInteger();
        try (RecordingStream watch = new RecordingStream()) {
            watch.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            watch.enable("jdk.ObjectAllocationSample").with("throttle", "1000/s");
            watch.onEvent("jdk.ExecutionSample", e -> cpu.incrementAndGet());
            watch.onEvent("jdk.ObjectAllocationSample", e -> allocation.incrementAndGet());
            watch.startAsync();
            long until = System.nanoTime() + limit.toNanos();
            do {
                busyAllocating(Duration.ofMillis(100));
            } while ((cpu.get() < 3 || allocation.get() < 3) && System.nanoTime() < until);
        }
    }

    @Test
    void findsTheCpuAndAllocationSitesOfARecording(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("test.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.enable("jdk.ObjectAllocationSample").with("throttle", "1000/s");
            recording.enable("jdk.ThreadAllocationStatistics").withPeriod(Duration.ofMillis(100));
            recording.start();
            busyUntilSampled(Duration.ofSeconds(20));
            recording.stop();
            recording.dump(file);
        }

        JfrHotSpots spots = JfrHotSpots.read(file);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        spots.print(new PrintStream(text, true, StandardCharsets.UTF_8), 5, 1000);
        String report = text.toString(StandardCharsets.UTF_8);

        assertThat(spots.cpuSamples()).isPositive();
        assertThat(spots.allocatedBytes()).isPositive();
        // The test thread allocated 1 KB per loop, for many loops: far more than 1 MB.
        assertThat(spots.allocatedDuringRecording().get(Thread.currentThread().getName())).isGreaterThan(1_000_000L);
        assertThat(report).contains("Top methods by self CPU samples", "bytes per request over 1000 requests", "Allocation by thread")
                .contains("byte[] @ com.foobar.bench.jfr.JfrHotSpotsTest.busyAllocating");
    }

    @Test
    void writesArrayTypesAsJavaDoes() {
        assertThat(JfrHotSpots.typeName("[B")).isEqualTo("byte[]");
        assertThat(JfrHotSpots.typeName("[[Ljava.lang.Object;")).isEqualTo("java.lang.Object[][]");
        assertThat(JfrHotSpots.typeName("io.netty.buffer.PooledUnsafeDirectByteBuf"))
                .isEqualTo("io.netty.buffer.PooledUnsafeDirectByteBuf");
    }
}
