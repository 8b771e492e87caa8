package com.foobar.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.ToDoubleFunction;

/**
 * One wrk run, as bench/lua/bench.lua's done() prints it: the scenario, the target, the round, and wrk's own
 * counters. Latencies are in microseconds, as wrk keeps them. {@code cpu} is what bench/run read from /proc around
 * the run, or null.
 */
public record WrkRun(String scenario, String target, int round, int connections, long requests, long durationUs,
                     long bytes, double p50Us, double p99Us, long errors, CpuUse cpu) {

    public static WrkRun fromJson(JsonNode line) {
        JsonNode errors = line.path("errors");
        long errorCount = 0;
        for (String kind : new String[] {"connect", "read", "write", "status", "timeout"}) {
            errorCount += errors.path(kind).asLong(0);
        }
        return new WrkRun(
                required(line, "scenario").asText(),
                required(line, "target").asText(),
                line.path("round").asInt(0),
                line.path("connections").asInt(0),
                required(line, "requests").asLong(),
                required(line, "duration_us").asLong(),
                line.path("bytes").asLong(0),
                required(line, "p50_us").asDouble(),
                required(line, "p99_us").asDouble(),
                errorCount,
                CpuUse.fromJson(line.get("cpu")));
    }

    /** CPUs the whole machine kept busy during the run (2.0 on a saturated two-CPU machine); NaN without figures. */
    public double cpusBusy() {
        return cpu == null || durationUs == 0 ? Double.NaN : cpu.machineUs() / durationUs;
    }

    /** CPU microseconds per request of one part, from {@code part}; NaN when this run has no CPU figures. */
    public double cpuPerRequestUs(ToDoubleFunction<CpuUse> part) {
        return cpu == null || requests == 0 ? Double.NaN : part.applyAsDouble(cpu) / requests;
    }

    public double requestsPerSecond() {
        return durationUs == 0 ? 0.0 : requests * 1_000_000.0 / durationUs;
    }

    public double megabytesPerSecond() {
        return durationUs == 0 ? 0.0 : bytes / (double) durationUs;
    }

    private static JsonNode required(JsonNode line, String field) {
        JsonNode value = line.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("wrk result line has no \"" + field + "\": " + line);
        }
        return value;
    }
}
