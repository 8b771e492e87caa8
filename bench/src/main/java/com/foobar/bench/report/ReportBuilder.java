package com.foobar.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Turns the raw lines of one bench/run (one JSON object per wrk run, plus the idle-10k and stream-1g measurements)
 * into the report: medians per scenario and target, our ratios against HAProxy and nginx, the overhead against the
 * direct backend, and the goals checked against them.
 */
public final class ReportBuilder {

    public static final String OURS = "balancer";
    public static final String HAPROXY = "haproxy";
    public static final String NGINX = "nginx";
    public static final String DIRECT = "direct";
    /** Our balancer from another jar (bench/run --baseline-jar): an A/B of two commits in the same run. */
    public static final String BASELINE = "baseline";
    static final List<String> TARGET_ORDER = List.of(OURS, BASELINE, HAPROXY, NGINX, DIRECT);
    static final List<String> SCENARIO_ORDER = List.of(
            "small-keepalive", "new-connection", "large-response", "upload", "many-connections",
            "tls-keepalive", "tls-handshake", "h2");
    /** bench/run names a scenario run with two workers each (its --workers 1,2) with this suffix. */
    static final String TWO_WORKERS = "-2w";
    static final String IDLE = "idle-10k";
    static final String STREAM = "stream-1g";
    static final double IDLE_RSS_GOAL_MB = 300.0;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The parts of a request's CPU the report shows, by their JSON names. */
    private static final Map<String, ToDoubleFunction<CpuUse>> CPU_PARTS = new LinkedHashMap<>();

    static {
        CPU_PARTS.put("proxy", CpuUse::proxyUs);
        CPU_PARTS.put("proxy_user", CpuUse::proxyUserUs);
        CPU_PARTS.put("proxy_sys", CpuUse::proxySysUs);
        CPU_PARTS.put("backends", CpuUse::backendsUs);
        CPU_PARTS.put("rest", CpuUse::restUs);
        CPU_PARTS.put("machine", CpuUse::machineUs);
        CPU_PARTS.put("steal", CpuUse::stealUs);
    }

    private final JsonNode meta;
    /** Steal above this share of the run's CPU time gets a warning: 1% already moved single rounds by a third. */
    static final double STEAL_WARN_PERCENT = 1.0;

    private final Map<String, Map<String, List<WrkRun>>> runs = new LinkedHashMap<>();
    private final Map<String, Integer> connections = new LinkedHashMap<>();
    private JsonNode idle;
    private JsonNode stream;

    public ReportBuilder(JsonNode meta) {
        this.meta = meta == null ? NODES.objectNode() : meta;
    }

    /** Adds one raw line; lines of an unknown kind are refused, so a typo in the harness cannot go unnoticed. */
    public ReportBuilder add(JsonNode line) {
        String kind = line.path("kind").asText("wrk");
        switch (kind) {
            // h2load's runs (the h2 scenario) come in the same shape, made by bench/run from its summary and log.
            case "wrk", "h2load" -> {
                WrkRun run = WrkRun.fromJson(line);
                runs.computeIfAbsent(run.scenario(), s -> new LinkedHashMap<>())
                        .computeIfAbsent(run.target(), t -> new ArrayList<>())
                        .add(run);
                connections.putIfAbsent(run.scenario(), run.connections());
            }
            case "idle" -> idle = line;
            case "stream" -> stream = line;
            default -> throw new IllegalArgumentException("raw line of unknown kind \"" + kind + "\": " + line);
        }
        return this;
    }

    public Map<String, TargetSummary> summaries(String scenario) {
        Map<String, TargetSummary> out = new LinkedHashMap<>();
        Map<String, List<WrkRun>> byTarget = runs.getOrDefault(scenario, Map.of());
        for (String target : orderedTargets(byTarget.keySet())) {
            out.put(target, TargetSummary.of(target, byTarget.get(target)));
        }
        return out;
    }

    public ObjectNode json() {
        ObjectNode root = NODES.objectNode();
        for (String section : List.of("generated_at", "machine", "versions", "config", "load")) {
            if (meta.has(section)) {
                root.set(section, meta.get(section));
            }
        }
        ArrayNode scenarios = root.putArray("scenarios");
        for (String scenario : orderedScenarios()) {
            Map<String, TargetSummary> summaries = summaries(scenario);
            ObjectNode s = scenarios.addObject();
            s.put("name", scenario);
            s.put("connections", connections.getOrDefault(scenario, 0));
            ObjectNode targets = s.putObject("targets");
            summaries.forEach((target, t) -> {
                ObjectNode n = targets.putObject(target);
                n.put("rounds", t.rounds());
                putNumber(n, "rps_median", t.rpsMedian());
                putNumber(n, "p50_ms_median", t.p50MsMedian());
                putNumber(n, "p99_ms_median", t.p99MsMedian());
                putNumber(n, "mb_per_s_median", t.mbPerSecondMedian());
                n.put("errors", t.errors());
                ArrayNode perRound = n.putArray("rps_per_round");
                t.rpsPerRound().forEach(v -> perRound.add(Math.round(v)));
                List<WrkRun> targetRuns = runs.get(scenario).get(target);
                if (targetRuns.stream().anyMatch(r -> r.cpu() != null)) {
                    ObjectNode cpu = n.putObject("cpu_us_per_request");
                    CPU_PARTS.forEach((name, part) -> putNumber(cpu, name, cpuMedian(targetRuns, part)));
                    putNumber(n, "cpus_busy", busyMedian(targetRuns));
                }
            });
            ObjectNode ratios = s.putObject("ratios");
            putNumber(ratios, "rps_ours_vs_haproxy", rpsRatio(summaries, HAPROXY));
            putNumber(ratios, "rps_ours_vs_nginx", rpsRatio(summaries, NGINX));
            putNumber(ratios, "p99_ours_vs_haproxy", p99Ratio(summaries, HAPROXY));
            putNumber(ratios, "p99_ours_vs_nginx", p99Ratio(summaries, NGINX));
            putNumber(ratios, "rps_ours_vs_baseline", rpsRatio(summaries, BASELINE));
            putNumber(ratios, "p99_ours_vs_baseline", p99Ratio(summaries, BASELINE));
            for (String peer : List.of(HAPROXY, NGINX, BASELINE)) {
                ArrayNode paired = ratios.putArray("rps_ours_vs_" + peer + "_per_round");
                pairedRpsRatios(scenario, peer).forEach(r -> paired.add(round(r, 3)));
            }
            TargetSummary direct = summaries.get(DIRECT);
            if (direct != null) {
                ObjectNode overhead = s.putObject("overhead_vs_direct");
                summaries.forEach((target, t) -> {
                    if (!DIRECT.equals(target)) {
                        ObjectNode o = overhead.putObject(target);
                        putNumber(o, "rps_fraction_of_direct", Stats.ratio(t.rpsMedian(), direct.rpsMedian()));
                        putNumber(o, "p50_added_ms", t.p50MsMedian() - direct.p50MsMedian());
                        putNumber(o, "p99_added_ms", t.p99MsMedian() - direct.p99MsMedian());
                    }
                });
            }
        }
        if (idle != null) {
            root.set(IDLE, idle);
        }
        if (stream != null) {
            root.set(STREAM, stream);
        }
        ArrayNode goals = root.putArray("goals");
        goals().forEach(goals::add);
        return root;
    }

    public String markdown() {
        StringBuilder md = new StringBuilder(4096);
        md.append("# Benchmark: our balancer against HAProxy and nginx\n\n");
        appendMachine(md);
        md.append("\n## Throughput and latency\n\n")
                .append("Medians over the rounds. `% of direct` is the target's req/s as a share of wrk against one ")
                .append("backend directly (the physical limit); `+p50` is the latency the proxy adds to that.\n\n")
                .append("| Scenario | Conns | Target | req/s | p50 ms | p99 ms | MB/s | errors | % of direct | +p50 ms |\n")
                .append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String scenario : orderedScenarios()) {
            Map<String, TargetSummary> summaries = summaries(scenario);
            TargetSummary direct = summaries.get(DIRECT);
            for (TargetSummary t : summaries.values()) {
                md.append("| ").append(scenario)
                        .append(" | ").append(connections.getOrDefault(scenario, 0))
                        .append(" | ").append(label(t.target()))
                        .append(" | ").append(fmt(t.rpsMedian(), 0))
                        .append(" | ").append(fmt(t.p50MsMedian(), 2))
                        .append(" | ").append(fmt(t.p99MsMedian(), 2))
                        .append(" | ").append(fmt(t.mbPerSecondMedian(), 1))
                        .append(" | ").append(t.errors())
                        .append(" | ");
                if (direct != null && !DIRECT.equals(t.target())) {
                    md.append(fmt(100.0 * Stats.ratio(t.rpsMedian(), direct.rpsMedian()), 0)).append('%')
                            .append(" | ").append(fmtSigned(t.p50MsMedian() - direct.p50MsMedian()));
                } else {
                    md.append("  | ");
                }
                md.append(" |\n");
            }
        }
        md.append("\n## Ours against the peers (same run)\n\n")
                .append("| Scenario | ours/HAProxy req/s | ours/nginx req/s | ours/HAProxy p99 | ours/nginx p99 |\n")
                .append("|---|---:|---:|---:|---:|\n");
        for (String scenario : orderedScenarios()) {
            Map<String, TargetSummary> summaries = summaries(scenario);
            md.append("| ").append(scenario)
                    .append(" | ").append(fmtRatio(rpsRatio(summaries, HAPROXY)))
                    .append(" | ").append(fmtRatio(rpsRatio(summaries, NGINX)))
                    .append(" | ").append(fmtRatio(p99Ratio(summaries, HAPROXY)))
                    .append(" | ").append(fmtRatio(p99Ratio(summaries, NGINX)))
                    .append(" |\n");
        }
        md.append("\n## Round by round\n\n")
                .append("Each round runs the targets back to back, so a round's ratio compares them under the same ")
                .append("machine state; the spread of those ratios shows how far this machine's noise moves the ")
                .append("figures above. Median (lowest-highest) of ours/peer req/s over the rounds.\n\n")
                .append("| Scenario | ours/HAProxy req/s per round | ours/nginx req/s per round |\n")
                .append("|---|---:|---:|\n");
        for (String scenario : orderedScenarios()) {
            md.append("| ").append(scenario)
                    .append(" | ").append(fmtSpread(pairedRpsRatios(scenario, HAPROXY)))
                    .append(" | ").append(fmtSpread(pairedRpsRatios(scenario, NGINX)))
                    .append(" |\n");
        }
        if (runs.values().stream().anyMatch(byTarget -> byTarget.containsKey(BASELINE))) {
            md.append("\n## Ours against the baseline jar (A/B, same run)\n\n")
                    .append("Median over the rounds, and the median (lowest-highest) of the per-round ratios.\n\n")
                    .append("| Scenario | ours/baseline req/s | per round | ours/baseline p99 |\n")
                    .append("|---|---:|---:|---:|\n");
            for (String scenario : orderedScenarios()) {
                Map<String, TargetSummary> summaries = summaries(scenario);
                md.append("| ").append(scenario)
                        .append(" | ").append(fmtRatio(rpsRatio(summaries, BASELINE)))
                        .append(" | ").append(fmtSpread(pairedRpsRatios(scenario, BASELINE)))
                        .append(" | ").append(fmtRatio(p99Ratio(summaries, BASELINE)))
                        .append(" |\n");
            }
        }
        appendCpu(md);
        appendIdleAndStream(md);
        md.append("\n## Goals\n\n| Figure | Goal | Measured | Met |\n|---|---|---:|---|\n");
        for (ObjectNode goal : goals()) {
            md.append("| ").append(goal.path("figure").asText())
                    .append(" | ").append(goal.path("goal").asText())
                    .append(" | ").append(goal.path("measured").asText())
                    .append(" | ").append(goal.path("met").isBoolean()
                            ? (goal.path("met").asBoolean() ? "yes" : "**no**") : "not measured")
                    .append(" |\n");
        }
        return md.toString();
    }

    private void appendMachine(StringBuilder md) {
        JsonNode machine = meta.path("machine");
        JsonNode versions = meta.path("versions");
        JsonNode config = meta.path("config");
        JsonNode load = meta.path("load");
        md.append("- Generated: ").append(meta.path("generated_at").asText("?")).append('\n')
                .append("- Machine: ").append(machine.path("nproc").asText("?")).append(" CPUs, ")
                .append(machine.path("cpu_model").asText("?")).append(", ")
                .append(machine.path("memory").asText("?")).append(", ")
                .append(machine.path("kernel").asText("?")).append('\n');
        md.append("- Versions:");
        versions.fields().forEachRemaining(e -> md.append(' ').append(e.getKey()).append(" `")
                .append(e.getValue().asText()).append("`;"));
        md.append('\n');
        md.append("- Config:");
        config.fields().forEachRemaining(e -> md.append(' ').append(e.getKey()).append('=')
                .append(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()).append(';'));
        md.append('\n');
        if (!load.isMissingNode()) {
            md.append("- Load average (1/5/15 min) before: ").append(load.path("before").asText("?"))
                    .append("; after: ").append(load.path("after").asText("?"))
                    .append("; highest 1-minute load seen during the run: ").append(load.path("max_1min_during").asText("?"))
                    .append(" (").append(machine.path("nproc").asText("?")).append(" CPUs)\n");
            JsonNode steal = load.path("steal_cpu_seconds");
            double cpuSeconds = config.path("wall_seconds").asDouble(0) * machine.path("nproc").asDouble(0);
            if (steal.isNumber() && cpuSeconds > 0) {
                double share = 100.0 * steal.asDouble() / cpuSeconds;
                md.append("- CPU the VM's host took away (steal in /proc/stat): ").append(fmt(steal.asDouble(), 1))
                        .append(" s of the run's ").append(fmt(cpuSeconds, 0)).append(" CPU-seconds (")
                        .append(fmt(share, 1)).append("%)\n");
                if (share >= STEAL_WARN_PERCENT) {
                    md.append("- **The host took CPU away during the run**: it comes in bursts, so single rounds ")
                            .append("lose throughput for one target only; read the round-by-round ratios.\n");
                }
            }
            if (load.path("busy").asBoolean(false)) {
                md.append("- **The machine was busy** (other work ran during the benchmark): the absolute figures ")
                        .append("are noisy; the interleaved rounds keep the ratios fairer than the absolutes.\n");
            }
        }
    }

    private void appendCpu(StringBuilder md) {
        boolean any = runs.values().stream().flatMap(m -> m.values().stream()).flatMap(List::stream)
                .anyMatch(r -> r.cpu() != null);
        if (!any) {
            return;
        }
        md.append("\n## CPU per request\n\n")
                .append("CPU time spent while each run lasted, divided by its requests: medians over the rounds, in ")
                .append("microseconds. `proxy` is the proxy's own processes (user + kernel), `backends` both ")
                .append("backends, `rest` wrk and the kernel work charged to no process, `machine` all of it. ")
                .append("`CPUs busy` is the machine's CPU time over the run's wall time: req/s is CPUs busy / ")
                .append("`machine`, so a proxy wins either by costing less per request or by leaving fewer CPUs ")
                .append("idle (a proxy that makes wrk and the backends wait leaves them idle).\n\n")
                .append("| Scenario | Target | proxy | proxy user | proxy kernel | backends | rest | machine | steal ")
                .append("| CPUs busy |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String scenario : orderedScenarios()) {
            Map<String, List<WrkRun>> byTarget = runs.get(scenario);
            for (String target : orderedTargets(byTarget.keySet())) {
                List<WrkRun> targetRuns = byTarget.get(target);
                if (targetRuns.stream().noneMatch(r -> r.cpu() != null)) {
                    continue;
                }
                md.append("| ").append(scenario).append(" | ").append(label(target));
                CPU_PARTS.values().forEach(part -> md.append(" | ").append(fmt(cpuMedian(targetRuns, part), 1)));
                md.append(" | ").append(fmt(busyMedian(targetRuns), 2)).append(" |\n");
            }
        }
        String budget = cpuBudget("small-keepalive", NGINX, 1.2);
        if (budget != null) {
            md.append('\n').append(budget).append('\n');
        }
        budget = cpuBudget("small-keepalive", HAPROXY, 1.0);
        if (budget != null) {
            md.append('\n').append(budget).append('\n');
        }
    }

    /**
     * What a throughput goal of {@code factor} x the peer asks of our proxy's CPU, read from the same run: the machine
     * may spend at most the peer's machine CPU per request / factor; the backends and the rest cost what they cost
     * under our balancer; what is left is our proxy's budget. Null when the figures are missing.
     */
    String cpuBudget(String scenario, String peer, double factor) {
        Map<String, List<WrkRun>> byTarget = runs.getOrDefault(scenario, Map.of());
        List<WrkRun> ours = byTarget.get(OURS);
        List<WrkRun> other = byTarget.get(peer);
        if (ours == null || other == null) {
            return null;
        }
        double peerMachine = cpuMedian(other, CpuUse::machineUs);
        double peerProxy = cpuMedian(other, CpuUse::proxyUs);
        double oursProxy = cpuMedian(ours, CpuUse::proxyUs);
        double oursAround = cpuMedian(ours, c -> c.backendsUs() + c.restUs());
        if (Double.isNaN(peerMachine) || Double.isNaN(oursProxy) || Double.isNaN(oursAround)) {
            return null;
        }
        double machineBudget = peerMachine / factor;
        double proxyBudget = machineBudget - oursAround;
        return "- " + scenario + ", " + fmtRatio(factor) + " " + label(peer) + "'s req/s with the CPUs as busy as "
                + label(peer) + " kept them: the machine may spend at most " + fmt(peerMachine, 1) + " / "
                + fmt(factor, 1) + " = " + fmt(machineBudget, 1) + " µs per request. The backends and the rest took "
                + fmt(oursAround, 1) + " µs of it under our balancer, which leaves our balancer "
                + fmt(proxyBudget, 1) + " µs; it spent " + fmt(oursProxy, 1) + " µs (" + label(peer) + " itself "
                + fmt(peerProxy, 1) + " µs). CPUs busy: ours " + fmt(busyMedian(ours), 2) + ", " + label(peer) + " "
                + fmt(busyMedian(other), 2) + "; keeping more of them busy makes up for a higher cost per request.";
    }

    private static double busyMedian(List<WrkRun> runs) {
        return Stats.median(runs.stream().map(WrkRun::cpusBusy).filter(v -> !Double.isNaN(v)).toList());
    }

    private static double cpuMedian(List<WrkRun> runs, ToDoubleFunction<CpuUse> part) {
        return Stats.median(runs.stream().map(r -> r.cpuPerRequestUs(part)).filter(v -> !Double.isNaN(v)).toList());
    }

    private void appendIdleAndStream(StringBuilder md) {
        if (idle != null) {
            md.append("\n## idle-10k\n\n")
                    .append("| Connections asked | Open at measurement | Failed | RSS before | RSS with them | ")
                    .append("Heap used after GC | Heap committed | RSS per connection |\n")
                    .append("|---:|---:|---:|---:|---:|---:|---:|---:|\n")
                    .append("| ").append(idle.path("connections").asInt())
                    .append(" | ").append(idle.path("open").asInt())
                    .append(" | ").append(idle.path("failed").asInt())
                    .append(" | ").append(mb(idle.path("rss_before_kb")))
                    .append(" | ").append(mb(idle.path("rss_kb")))
                    .append(" | ").append(mb(idle.path("heap_used_kb")))
                    .append(" | ").append(mb(idle.path("heap_committed_kb")))
                    .append(" | ").append(perConnection(idle))
                    .append(" |\n");
            if (idle.hasNonNull("java_opts")) {
                md.append("\nBalancer JVM options: `").append(idle.path("java_opts").asText()).append("`\n");
            }
        }
        if (stream != null) {
            md.append("\n## stream-1g\n\n| Completed | Bytes | Seconds | MB/s | Peak RSS | JVM options |\n")
                    .append("|---|---:|---:|---:|---:|---|\n")
                    .append("| ").append(stream.path("completed").asBoolean() ? "yes" : "**no**")
                    .append(" | ").append(stream.path("bytes").asLong())
                    .append(" | ").append(fmt(stream.path("seconds").asDouble(Double.NaN), 1))
                    .append(" | ").append(fmt(stream.path("bytes").asLong() / 1e6
                            / stream.path("seconds").asDouble(Double.NaN), 0))
                    .append(" | ").append(mb(stream.path("peak_rss_kb")))
                    .append(" | `").append(stream.path("java_opts").asText("")).append("`")
                    .append(" |\n");
        }
    }

    private List<ObjectNode> goals() {
        List<ObjectNode> goals = new ArrayList<>();
        Map<String, TargetSummary> small = summaries("small-keepalive");
        goals.add(goal("small-keepalive req/s vs HAProxy", ">= 1.0x", rpsRatio(small, HAPROXY), 1.0, true));
        goals.add(goal("small-keepalive req/s vs nginx", ">= 1.2x", rpsRatio(small, NGINX), 1.2, true));
        goals.add(goal("small-keepalive p99 vs HAProxy", "<= 1.5x", p99Ratio(small, HAPROXY), 1.5, false));
        double rssMb = idle == null || !idle.hasNonNull("rss_kb") ? Double.NaN : idle.path("rss_kb").asDouble() / 1024.0;
        ObjectNode idleGoal = goal("idle-10k RSS", "<= 300 MB", rssMb, IDLE_RSS_GOAL_MB, false, " MB");
        if (idle != null && idle.path("open").asInt() < idle.path("connections").asInt()) {
            // Fewer connections open than asked for makes the RSS figure flattering: it does not count.
            idleGoal.put("met", false);
            idleGoal.put("measured", idleGoal.path("measured").asText() + " (only " + idle.path("open").asInt()
                    + " open)");
        }
        goals.add(idleGoal);
        goals.add(goal("large-response throughput vs HAProxy", ">= 0.9x",
                rpsRatio(summaries("large-response"), HAPROXY), 0.9, true));
        goals.add(goal("upload throughput vs HAProxy", ">= 0.9x",
                rpsRatio(summaries("upload"), HAPROXY), 0.9, true));
        ObjectNode streamGoal = NODES.objectNode();
        streamGoal.put("figure", "stream-1g through -Xmx128m completes");
        streamGoal.put("goal", "completes");
        if (stream == null) {
            streamGoal.put("measured", "not run");
            streamGoal.putNull("met");
        } else {
            streamGoal.put("measured", stream.path("bytes").asLong() + " bytes, peak RSS "
                    + mb(stream.path("peak_rss_kb")));
            streamGoal.put("met", stream.path("completed").asBoolean());
        }
        goals.add(streamGoal);
        // Issue 18: every path a real site uses, against HAProxy (and nginx with two workers each).
        goals.add(goal("h2 over TLS req/s vs HAProxy", ">= 1.0x", rpsRatio(summaries("h2"), HAPROXY), 1.0, true));
        goals.add(goal("tls-handshake (new TLS connections/s) vs HAProxy", ">= 1.0x",
                rpsRatio(summaries("tls-handshake"), HAPROXY), 1.0, true));
        goals.add(goal("new-connection req/s vs HAProxy", ">= 1.0x",
                rpsRatio(summaries("new-connection"), HAPROXY), 1.0, true));
        goals.add(goal("small-keepalive req/s vs HAProxy, 1 worker each", ">= 1.25x", rpsRatio(small, HAPROXY), 1.25,
                true));
        Map<String, TargetSummary> small2 = summaries("small-keepalive" + TWO_WORKERS);
        for (String peer : List.of(HAPROXY, NGINX)) {
            goals.add(goal("small-keepalive, 2 workers each, req/s vs " + label(peer).replace("*", ""), ">= 1.0x",
                    rpsRatio(small2, peer), 1.0, true));
            goals.add(goal("small-keepalive, 2 workers each, p99 vs " + label(peer).replace("*", ""), "<= 1.2x",
                    p99Ratio(small2, peer), 1.2, false));
        }
        return goals;
    }

    private static ObjectNode goal(String figure, String goal, double measured, double bound, boolean atLeast) {
        return goal(figure, goal, measured, bound, atLeast, "");
    }

    private static ObjectNode goal(String figure, String goal, double measured, double bound, boolean atLeast,
                                   String unit) {
        ObjectNode n = NODES.objectNode();
        n.put("figure", figure);
        n.put("goal", goal);
        if (Double.isNaN(measured)) {
            n.put("measured", "not measured");
            n.putNull("met");
        } else {
            n.put("measured", unit.isEmpty() ? fmtRatio(measured) : fmt(measured, 0) + unit);
            n.put("value", round(measured, 3));
            n.put("met", atLeast ? measured >= bound : measured <= bound);
        }
        return n;
    }

    private static double rpsRatio(Map<String, TargetSummary> summaries, String peer) {
        TargetSummary ours = summaries.get(OURS);
        TargetSummary other = summaries.get(peer);
        return ours == null || other == null ? Double.NaN : Stats.ratio(ours.rpsMedian(), other.rpsMedian());
    }

    /** ours/peer req/s of each round both ran, in round order: interleaved rounds pair them. */
    List<Double> pairedRpsRatios(String scenario, String peer) {
        Map<String, List<WrkRun>> byTarget = runs.getOrDefault(scenario, Map.of());
        Map<Integer, Double> peerByRound = new TreeMap<>();
        for (WrkRun r : byTarget.getOrDefault(peer, List.of())) {
            peerByRound.put(r.round(), r.requestsPerSecond());
        }
        Map<Integer, Double> oursByRound = new TreeMap<>();
        for (WrkRun r : byTarget.getOrDefault(OURS, List.of())) {
            oursByRound.put(r.round(), r.requestsPerSecond());
        }
        List<Double> out = new ArrayList<>();
        oursByRound.forEach((round, ours) -> {
            Double other = peerByRound.get(round);
            double ratio = other == null ? Double.NaN : Stats.ratio(ours, other);
            if (!Double.isNaN(ratio)) {
                out.add(ratio);
            }
        });
        return out;
    }

    static String fmtSpread(List<Double> ratios) {
        if (ratios.isEmpty()) {
            return "n/a";
        }
        double min = ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return fmtRatio(Stats.median(ratios)) + " (" + fmt(min, 2) + "-" + fmt(max, 2) + ")";
    }

    private static double p99Ratio(Map<String, TargetSummary> summaries, String peer) {
        TargetSummary ours = summaries.get(OURS);
        TargetSummary other = summaries.get(peer);
        return ours == null || other == null ? Double.NaN : Stats.ratio(ours.p99MsMedian(), other.p99MsMedian());
    }

    private List<String> orderedScenarios() {
        Set<String> ordered = new LinkedHashSet<>();
        SCENARIO_ORDER.stream().filter(runs::containsKey).forEach(ordered::add);
        ordered.addAll(runs.keySet());
        return new ArrayList<>(ordered);
    }

    private static List<String> orderedTargets(Set<String> present) {
        Set<String> ordered = new LinkedHashSet<>();
        TARGET_ORDER.stream().filter(present::contains).forEach(ordered::add);
        ordered.addAll(present);
        return new ArrayList<>(ordered);
    }

    private static String label(String target) {
        return switch (target) {
            case OURS -> "**ours**";
            case HAPROXY -> "HAProxy";
            case NGINX -> "nginx";
            case DIRECT -> "direct";
            default -> target;
        };
    }

    private static String perConnection(JsonNode idle) {
        int open = idle.path("open").asInt();
        if (open <= 0 || !idle.hasNonNull("rss_kb") || !idle.hasNonNull("rss_before_kb")) {
            return "n/a";
        }
        double kb = (idle.path("rss_kb").asDouble() - idle.path("rss_before_kb").asDouble()) / open;
        return fmt(kb, 1) + " KB";
    }

    private static String mb(JsonNode kb) {
        return kb == null || kb.isMissingNode() || kb.isNull() ? "n/a" : fmt(kb.asDouble() / 1024.0, 0) + " MB";
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, round(value, 3));
        }
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    static String fmt(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    private static String fmtSigned(double value) {
        return Double.isNaN(value) ? "n/a" : (value >= 0 ? "+" : "") + fmt(value, 2);
    }

    static String fmtRatio(double value) {
        return Double.isNaN(value) ? "n/a" : fmt(value, 2) + "x";
    }

    /** Reads the raw lines of a JSON-lines file's text; blank lines are skipped. */
    public static List<JsonNode> parseLines(ObjectMapper mapper, String text) {
        Objects.requireNonNull(text, "text");
        List<JsonNode> lines = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n")) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                lines.add(mapper.readTree(line));
            } catch (Exception e) {
                throw new IllegalArgumentException("raw results line " + number + " is not JSON: " + line, e);
            }
        }
        return lines;
    }
}
