package com.foobar.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine's 1-minute load average before, at most during, and after a run: on two cores shared with other work,
 * a failure under a high load is read differently from one on a quiet machine.
 */
final class MachineLoad implements AutoCloseable {

    private final double before = now();
    private volatile double max = before;
    private final Thread sampler;
    private volatile boolean running = true;

    MachineLoad() {
        sampler = new Thread(() -> {
            while (running) {
                max = Math.max(max, now());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "chaos-loadavg");
        sampler.setDaemon(true);
        sampler.start();
    }

    static double now() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    String describe() {
        return String.format(Locale.ROOT, "%.2f before, %.2f at most during, %.2f after (%d CPUs)", before, max, now(),
                Runtime.getRuntime().availableProcessors());
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (Exception e) {
            // Not Linux: the CPU stays unnamed.
        }
        long memGiB = 0;
        try {
            memGiB = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1048576).findFirst().orElse(0L);
        } catch (Exception e) {
            // Unknown memory.
        }
        return Runtime.getRuntime().availableProcessors() + " × " + cpu + ", " + memGiB + " GiB, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version");
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
