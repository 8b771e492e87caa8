package com.foobar.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One wrk run, as bench/lua/bench.lua's done() prints it: the scenario, the target, the round, and wrk's own
 * counters. Latencies are in microseconds, as wrk keeps them.
 */
public record WrkRun(String scenario, String target, int round, int connections, long requests, long durationUs,
                     long bytes, double p50Us, double p99Us, long errors) {

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
                errorCount);
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
