package com.foobar.bench.jfr;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording of the balancer under load and prints where the CPU time and the allocation go: the top
 * methods by self CPU samples, our own methods by inclusive samples, the top allocation sites (class and the first
 * frame outside the JDK) by sampled bytes, the bytes allocated per request, and the GC pauses. JDK 17's
 * {@code jfr} tool has no such view ({@code jfr view} came in JDK 21), hence this.
 */
public final class JfrHotSpots {

    static final String OUR_PACKAGE = "com.foobar.";

    private final Map<String, Long> selfCpu = new HashMap<>();
    private final Map<String, Long> inclusiveOurs = new HashMap<>();
    private final Map<String, Long> allocationBySite = new HashMap<>();
    private final Map<String, Long> allocationByClass = new HashMap<>();
    private final Map<String, Long> allocationSiteSamples = new HashMap<>();
    private long allocationSamples;
    private final Map<String, long[]> allocatedByThread = new HashMap<>();
    private long cpuSamples;
    private long allocatedBytes;
    private long gcCount;
    private Duration gcPauses = Duration.ZERO;

    public static JfrHotSpots read(Path recording) throws IOException {
        JfrHotSpots spots = new JfrHotSpots();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                spots.accept(file.readEvent());
            }
        }
        return spots;
    }

    void accept(RecordedEvent event) {
        switch (event.getEventType().getName()) {
            case "jdk.ExecutionSample" -> cpuSample(event.getStackTrace());
            case "jdk.ObjectAllocationSample" -> allocationSample(event);
            case "jdk.ThreadAllocationStatistics" -> threadAllocation(event);
            case "jdk.GarbageCollection" -> {
                gcCount++;
                gcPauses = gcPauses.plus(event.getDuration("sumOfPauses"));
            }
            default -> {
                // Other events are not part of this summary.
            }
        }
    }

    private void cpuSample(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return;
        }
        cpuSamples++;
        List<RecordedFrame> frames = stack.getFrames();
        selfCpu.merge(name(frames.get(0)), 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame frame : frames) {
            String name = name(frame);
            if (name.startsWith(OUR_PACKAGE) && seen.add(name)) {
                inclusiveOurs.merge(name, 1L, Long::sum);
            }
        }
    }

    private void allocationSample(RecordedEvent event) {
        long weight = event.getLong("weight");
        RecordedClass type = event.getClass("objectClass");
        String typeName = type == null ? "?" : typeName(type.getName());
        allocatedBytes += weight;
        allocationByClass.merge(typeName, weight, Long::sum);
        String site = typeName + " @ " + site(event.getStackTrace());
        allocationBySite.merge(site, weight, Long::sum);
        allocationSiteSamples.merge(site, 1L, Long::sum);
        allocationSamples++;
    }

    /**
     * The JVM's own count of bytes each thread allocated, emitted at the start and the end of the recording: exact,
     * where the allocation samples are few and each carries the weight of everything since the thread's last sample.
     */
    private void threadAllocation(RecordedEvent event) {
        var thread = event.getThread("thread");
        if (thread == null) {
            return;
        }
        String name = thread.getJavaName() == null ? thread.getOSName() : thread.getJavaName();
        long allocated = event.getLong("allocated");
        allocatedByThread.merge(name, new long[] {allocated, allocated},
                (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }

    /** Bytes each thread allocated between the first and the last statistics event. */
    Map<String, Long> allocatedDuringRecording() {
        Map<String, Long> out = new HashMap<>();
        allocatedByThread.forEach((thread, range) -> out.put(thread, range[1] - range[0]));
        return out;
    }

    /** The first frame outside the JDK: the code that asked for the allocation, not the JDK helper doing it. */
    static String site(RecordedStackTrace stack) {
        if (stack == null) {
            return "?";
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String name = name(frame);
            if (!name.startsWith("java.") && !name.startsWith("jdk.") && !name.startsWith("sun.")) {
                return name + ":" + frame.getLineNumber();
            }
        }
        return stack.getFrames().isEmpty() ? "?" : name(stack.getFrames().get(0));
    }

    /** {@code [B} as {@code byte[]}, {@code [Ljava.lang.Object;} as {@code java.lang.Object[]}: readable in a report. */
    static String typeName(String jvmName) {
        int dimensions = 0;
        while (dimensions < jvmName.length() && jvmName.charAt(dimensions) == '[') {
            dimensions++;
        }
        if (dimensions == 0) {
            return jvmName;
        }
        String element = jvmName.substring(dimensions);
        String base = switch (element) {
            case "B" -> "byte";
            case "C" -> "char";
            case "I" -> "int";
            case "J" -> "long";
            case "S" -> "short";
            case "Z" -> "boolean";
            case "F" -> "float";
            case "D" -> "double";
            default -> element.startsWith("L") && element.endsWith(";")
                    ? element.substring(1, element.length() - 1) : element;
        };
        return base + "[]".repeat(dimensions);
    }

    private static String name(RecordedFrame frame) {
        RecordedMethod method = frame.getMethod();
        if (method == null) {
            return "?";
        }
        return method.getType().getName() + "." + method.getName();
    }

    public void print(PrintStream out, int top, long requests) {
        out.printf(Locale.ROOT, "CPU: %d execution samples%n", cpuSamples);
        printTop(out, "Top methods by self CPU samples", selfCpu, cpuSamples, top, false);
        printTop(out, "Our methods by inclusive CPU samples", inclusiveOurs, cpuSamples, top, false);
        Map<String, Long> byThread = allocatedDuringRecording();
        long exact = byThread.values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "%nAllocation (exact, jdk.ThreadAllocationStatistics): %.1f MB", exact / 1e6);
        if (requests > 0 && exact > 0) {
            out.printf(Locale.ROOT, ", %.0f bytes per request over %d requests", exact / (double) requests,
                    requests);
        }
        out.println();
        printTop(out, "Allocation by thread", byThread, exact, top, true);
        out.printf(Locale.ROOT, "%nAllocation samples (jdk.ObjectAllocationSample): %.1f MB of estimated weight%n",
                allocatedBytes / 1e6);
        printTop(out, "Top allocated classes by bytes", allocationByClass, allocatedBytes, top, true);
        printTop(out, "Top allocation sites (class @ first non-JDK frame) by bytes", allocationBySite,
                allocatedBytes, top, true);
        // Each sample's weight is everything its thread allocated since its previous sample, so a rare thread can
        // put a large weight on one site: the count of samples is the steadier view of the hot path.
        printTop(out, "Top allocation sites by number of samples (" + allocationSamples + " samples)",
                allocationSiteSamples, allocationSamples, top, false);
        out.printf(Locale.ROOT, "%nGC: %d collections, %d ms of pauses in total%n", gcCount, gcPauses.toMillis());
    }

    private static void printTop(PrintStream out, String title, Map<String, Long> counts, long total, int top,
                                 boolean bytes) {
        out.printf("%n%s:%n", title);
        Map<String, Long> sorted = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        sorted.forEach((name, count) -> {
            double share = total == 0 ? 0 : 100.0 * count / total;
            if (bytes) {
                out.printf(Locale.ROOT, "  %5.1f%%  %10.1f MB  %s%n", share, count / 1e6, name);
            } else {
                out.printf(Locale.ROOT, "  %5.1f%%  %8d  %s%n", share, count, name);
            }
        });
    }

    long cpuSamples() {
        return cpuSamples;
    }

    long allocatedBytes() {
        return allocatedBytes;
    }
}
