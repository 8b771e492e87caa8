package com.foobar.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The CPU time spent while one wrk run lasted, as bench/run read it from {@code /proc}: the proxy's processes (nginx's
 * workers included), both backends, and the whole machine. In microseconds; the proxy's figures are NaN for the direct
 * target, which has none.
 *
 * <p>On a machine the load saturates, req/s is the machine's CPU divided by the CPU each request costs, so these
 * figures say where a proxy's throughput goes and what a throughput goal asks of it.
 */
public record CpuUse(double proxyUserUs, double proxySysUs, double backendsUs, double machineUs, double stealUs) {

    /** Null when the line carries no CPU figures (older raw files, runs that were not recorded). */
    static CpuUse fromJson(JsonNode cpu) {
        if (cpu == null || !cpu.isObject()) {
            return null;
        }
        double usPerTick = 1_000_000.0 / cpu.path("hz").asDouble(100);
        return new CpuUse(
                ticks(cpu, "proxy_user") * usPerTick,
                ticks(cpu, "proxy_sys") * usPerTick,
                ticks(cpu, "backends") * usPerTick,
                ticks(cpu, "machine") * usPerTick,
                ticks(cpu, "steal") * usPerTick);
    }

    private static double ticks(JsonNode cpu, String field) {
        JsonNode v = cpu.get(field);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    public double proxyUs() {
        return proxyUserUs + proxySysUs;
    }

    /** wrk, the kernel's work not charged to a process, and anything else that ran. */
    public double restUs() {
        return machineUs - backendsUs - (Double.isNaN(proxyUs()) ? 0.0 : proxyUs());
    }
}
