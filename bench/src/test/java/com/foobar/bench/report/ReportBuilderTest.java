package com.foobar.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportBuilderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A wrk result line as bench.lua prints it: rps requests in one second, latencies in microseconds. */
    private static String wrk(String scenario, String target, int round, long rps, long p50Us, long p99Us) {
        return String.format("{\"kind\":\"wrk\",\"scenario\":\"%s\",\"target\":\"%s\",\"round\":%d,"
                + "\"connections\":64,\"requests\":%d,\"duration_us\":1000000,\"bytes\":%d,\"p50_us\":%d,"
                + "\"p99_us\":%d,\"mean_us\":1.0,\"max_us\":1,\"errors\":{\"connect\":0,\"read\":0,\"write\":0,"
                + "\"status\":0,\"timeout\":0}}", scenario, target, round, rps, rps * 100, p50Us, p99Us);
    }

    private static ReportBuilder builder(String... lines) throws Exception {
        ObjectNode meta = JSON.createObjectNode();
        meta.putObject("machine").put("nproc", 2).put("cpu_model", "Test CPU");
        ReportBuilder builder = new ReportBuilder(meta);
        for (JsonNode line : ReportBuilder.parseLines(JSON, String.join("\n", lines))) {
            builder.add(line);
        }
        return builder;
    }

    @Test
    void summarisesEachTargetByTheMedianOfItsRounds() throws Exception {
        ReportBuilder builder = builder(
                wrk("small-keepalive", "balancer", 1, 100, 1000, 5000),
                wrk("small-keepalive", "balancer", 2, 300, 3000, 9000),
                wrk("small-keepalive", "balancer", 3, 200, 2000, 1000));

        TargetSummary ours = builder.summaries("small-keepalive").get("balancer");

        assertThat(ours.rounds()).isEqualTo(3);
        assertThat(ours.rpsMedian()).isEqualTo(200.0);
        assertThat(ours.p50MsMedian()).isEqualTo(2.0);
        assertThat(ours.p99MsMedian()).isEqualTo(5.0);
    }

    @Test
    void pairsTheRoundsToShowHowFarTheMachinesNoiseMovesTheRatio() throws Exception {
        ReportBuilder builder = builder(
                wrk("small-keepalive", "balancer", 1, 900, 1000, 3000),
                wrk("small-keepalive", "haproxy", 1, 1000, 1000, 1000),
                wrk("small-keepalive", "balancer", 2, 1200, 1000, 3000),
                wrk("small-keepalive", "haproxy", 2, 1000, 1000, 1000),
                wrk("small-keepalive", "balancer", 3, 550, 1000, 3000),
                wrk("small-keepalive", "haproxy", 3, 500, 1000, 1000),
                wrk("small-keepalive", "balancer", 4, 700, 1000, 3000)); // haproxy's round 4 is missing

        assertThat(builder.pairedRpsRatios("small-keepalive", "haproxy")).containsExactly(0.9, 1.2, 1.1);
        assertThat(builder.pairedRpsRatios("small-keepalive", "nginx")).isEmpty();
        JsonNode ratios = builder.json().path("scenarios").get(0).path("ratios");
        assertThat(ratios.path("rps_ours_vs_haproxy_per_round").toString()).isEqualTo("[0.9,1.2,1.1]");
        assertThat(builder.markdown())
                .contains("| small-keepalive | 1.10x (0.90-1.20) | n/a |");
    }

    @Test
    void aBaselineJarIsComparedRoundByRoundAsAnAbOfTwoCommits() throws Exception {
        ReportBuilder builder = builder(
                wrk("small-keepalive", "balancer", 1, 990, 1000, 2000),
                wrk("small-keepalive", "baseline", 1, 1000, 1000, 2000),
                wrk("small-keepalive", "balancer", 2, 1050, 1000, 2000),
                wrk("small-keepalive", "baseline", 2, 1000, 1000, 2000));

        JsonNode ratios = builder.json().path("scenarios").get(0).path("ratios");
        assertThat(ratios.path("rps_ours_vs_baseline_per_round").toString()).isEqualTo("[0.99,1.05]");
        assertThat(ratios.path("p99_ours_vs_baseline").asDouble()).isEqualTo(1.0);
        assertThat(builder.markdown())
                .contains("## Ours against the baseline jar (A/B, same run)")
                .contains("| small-keepalive | 1.02x | 1.02x (0.99-1.05) | 1.00x |");
    }

    @Test
    void saysHowMuchCpuTheVmHostTookAndWarnsWhenItMovesTheFigures() throws Exception {
        ObjectNode meta = JSON.createObjectNode();
        meta.putObject("machine").put("nproc", 2);
        meta.putObject("config").put("wall_seconds", 800);
        meta.putObject("load").put("before", "0.1").put("steal_cpu_seconds", 104.4);
        assertThat(new ReportBuilder(meta).markdown())
                .contains("- CPU the VM's host took away (steal in /proc/stat): 104.4 s of the run's "
                        + "1,600 CPU-seconds (6.5%)")
                .contains("**The host took CPU away during the run**");

        meta.putObject("load").put("before", "0.1").put("steal_cpu_seconds", 3.2);
        assertThat(new ReportBuilder(meta).markdown())
                .contains("3.2 s of the run's 1,600 CPU-seconds (0.2%)")
                .doesNotContain("The host took CPU away");
    }

    /** A wrk line with the CPU ticks bench/run appends (hz 100: a tick is 10,000 us); null proxy ticks for direct. */
    private static String wrkWithCpu(String target, int round, long requests, Integer proxyUser, Integer proxySys,
            int backends, int machine) {
        String line = wrk("small-keepalive", target, round, requests, 1000, 2000);
        return line.substring(0, line.length() - 1) + ",\"cpu\":{\"hz\":100,\"proxy_user\":" + proxyUser
                + ",\"proxy_sys\":" + proxySys + ",\"backends\":" + backends + ",\"machine\":" + machine
                + ",\"steal\":0}}";
    }

    @Test
    void givesEachPartsCpuPerRequestAndWhatAThroughputGoalLeavesOurProxy() throws Exception {
        // 10,000 requests per run: a tick of 10,000 us is 1 us per request.
        ReportBuilder builder = builder(
                wrkWithCpu("balancer", 1, 10_000, 20, 10, 16, 56),
                wrkWithCpu("balancer", 2, 10_000, 22, 10, 16, 58),
                wrkWithCpu("nginx", 1, 10_000, 10, 14, 16, 50),
                wrkWithCpu("nginx", 2, 10_000, 10, 14, 16, 50),
                wrkWithCpu("direct", 1, 10_000, null, null, 9, 20));

        JsonNode targets = builder.json().path("scenarios").get(0).path("targets");
        JsonNode ours = targets.path("balancer").path("cpu_us_per_request");
        assertThat(ours.path("proxy").asDouble()).isEqualTo(31.0);
        assertThat(ours.path("proxy_user").asDouble()).isEqualTo(21.0);
        assertThat(ours.path("backends").asDouble()).isEqualTo(16.0);
        assertThat(ours.path("rest").asDouble()).isEqualTo(10.0);
        assertThat(ours.path("machine").asDouble()).isEqualTo(57.0);
        JsonNode direct = targets.path("direct").path("cpu_us_per_request");
        assertThat(direct.path("proxy").isNull()).isTrue();
        assertThat(direct.path("rest").asDouble()).isEqualTo(11.0);

        // 1.2x nginx: the machine may spend 50 / 1.2 = 41.7 us; backends and rest took 26 under ours: 15.7 left.
        assertThat(builder.markdown())
                .contains("| small-keepalive | **ours** | 31.0 | 21.0 | 10.0 | 16.0 | 10.0 | 57.0 | 0.0 | 0.57 |")
                .contains("| small-keepalive | direct | n/a | n/a | n/a | 9.0 | 11.0 | 20.0 | 0.0 | 0.20 |")
                .contains("1.20x nginx's req/s with the CPUs as busy as nginx kept them: the machine may spend at "
                        + "most 50.0 / 1.2 = 41.7 µs per request. The backends and the rest took 26.0 µs of it under "
                        + "our balancer, which leaves our balancer 15.7 µs; it spent 31.0 µs (nginx itself 24.0 µs). "
                        + "CPUs busy: ours 0.57, nginx 0.50;");
        assertThat(targets.path("balancer").path("cpus_busy").asDouble()).isEqualTo(0.57);
    }

    @Test
    void leavesOutTheCpuSectionWhenTheRunsCarryNoCpuFigures() throws Exception {
        assertThat(builder(wrk("small-keepalive", "balancer", 1, 100, 1000, 5000)).markdown())
                .doesNotContain("CPU per request");
    }

    @Test
    void givesOurRatiosAgainstThePeersAndChecksTheGoals() throws Exception {
        ReportBuilder builder = builder(
                wrk("small-keepalive", "balancer", 1, 1100, 1000, 3000),
                wrk("small-keepalive", "haproxy", 1, 1000, 1000, 1000),
                wrk("small-keepalive", "nginx", 1, 1000, 1000, 2000),
                wrk("small-keepalive", "direct", 1, 2000, 500, 1000));

        JsonNode json = builder.json();
        JsonNode small = json.path("scenarios").get(0);

        assertThat(small.path("ratios").path("rps_ours_vs_haproxy").asDouble()).isEqualTo(1.1);
        assertThat(small.path("ratios").path("rps_ours_vs_nginx").asDouble()).isEqualTo(1.1);
        assertThat(small.path("ratios").path("p99_ours_vs_haproxy").asDouble()).isEqualTo(3.0);
        assertThat(small.path("overhead_vs_direct").path("balancer").path("rps_fraction_of_direct").asDouble())
                .isEqualTo(0.55);
        assertThat(small.path("overhead_vs_direct").path("balancer").path("p50_added_ms").asDouble())
                .isEqualTo(0.5);
        List<JsonNode> goals = List.of(json.path("goals").get(0), json.path("goals").get(1),
                json.path("goals").get(2));
        assertThat(goals.get(0).path("met").asBoolean()).isTrue();   // 1.1 >= 1.0 x HAProxy
        assertThat(goals.get(1).path("met").asBoolean()).isFalse();  // 1.1 < 1.2 x nginx
        assertThat(goals.get(2).path("met").asBoolean()).isFalse();  // p99 3.0 > 1.5 x HAProxy
    }

    @Test
    void checksIssue18GoalsFromTheTlsH2AndTwoWorkerScenarios() throws Exception {
        JsonNode json = builder(
                wrk("h2", "balancer", 1, 900, 1000, 2000).replace("\"kind\":\"wrk\"", "\"kind\":\"h2load\""),
                wrk("h2", "haproxy", 1, 1000, 1000, 2000).replace("\"kind\":\"wrk\"", "\"kind\":\"h2load\""),
                wrk("tls-handshake", "balancer", 1, 1100, 1000, 2000),
                wrk("tls-handshake", "haproxy", 1, 1000, 1000, 2000),
                wrk("small-keepalive", "balancer", 1, 1300, 1000, 2000),
                wrk("small-keepalive", "haproxy", 1, 1000, 1000, 2000),
                wrk("small-keepalive-2w", "balancer", 1, 1000, 1000, 2300),
                wrk("small-keepalive-2w", "haproxy", 1, 1000, 1000, 2000),
                wrk("small-keepalive-2w", "nginx", 1, 900, 1000, 2000)).json();
        java.util.Map<String, JsonNode> byFigure = new java.util.HashMap<>();
        json.path("goals").forEach(g -> byFigure.put(g.path("figure").asText(), g));

        assertThat(byFigure.get("h2 over TLS req/s vs HAProxy").path("met").asBoolean()).isFalse();      // 0.9
        assertThat(byFigure.get("tls-handshake (new TLS connections/s) vs HAProxy").path("met").asBoolean())
                .isTrue();                                                                                 // 1.1
        assertThat(byFigure.get("small-keepalive req/s vs HAProxy, 1 worker each").path("met").asBoolean())
                .isTrue();                                                                                 // 1.3
        assertThat(byFigure.get("new-connection req/s vs HAProxy").path("met").isNull()).isTrue();       // not run
        assertThat(byFigure.get("small-keepalive, 2 workers each, req/s vs nginx").path("met").asBoolean())
                .isTrue();                                                                                 // 1.11
        assertThat(byFigure.get("small-keepalive, 2 workers each, p99 vs HAProxy").path("met").asBoolean())
                .isTrue();                                                                                // 2.3 / 2.0 = 1.15 <= 1.2
        assertThat(json.path("scenarios").findValuesAsText("name"))
                .containsSubsequence("small-keepalive", "tls-handshake", "h2", "small-keepalive-2w");
    }

    @Test
    void leavesGoalsWithoutFiguresUnmeasuredRatherThanMet() throws Exception {
        JsonNode goals = builder(wrk("small-keepalive", "balancer", 1, 100, 1000, 2000)).json().path("goals");

        for (JsonNode goal : goals) {
            assertThat(goal.path("met").isNull()).as(goal.toString()).isTrue();
        }
    }

    @Test
    void doesNotCountTheIdleRssGoalWhenFewerConnectionsWereOpenThanAsked() throws Exception {
        JsonNode goals = builder("{\"kind\":\"idle\",\"connections\":10000,\"open\":9000,\"failed\":1000,"
                + "\"rss_before_kb\":100000,\"rss_kb\":150000,\"heap_used_kb\":20000,\"heap_committed_kb\":60000}")
                .json().path("goals");

        JsonNode idle = goals.get(3);
        assertThat(idle.path("figure").asText()).isEqualTo("idle-10k RSS");
        assertThat(idle.path("met").asBoolean()).isFalse();
        assertThat(idle.path("measured").asText()).contains("only 9000 open");
    }

    @Test
    void writesATableRowPerTargetAndTheMachine() throws Exception {
        String md = builder(
                wrk("upload", "balancer", 1, 900, 1000, 2000),
                wrk("upload", "haproxy", 1, 1000, 1000, 2000),
                "{\"kind\":\"stream\",\"bytes\":1073741824,\"seconds\":2.5,\"completed\":true,"
                        + "\"peak_rss_kb\":204800,\"java_opts\":\"-Xmx128m\"}").markdown();

        assertThat(md).contains("2 CPUs, Test CPU")
                .contains("| upload | 64 | **ours** | 900 |")
                .contains("| upload | 64 | HAProxy | 1,000 |")
                .contains("| upload | 0.90x | n/a | 1.00x | n/a |")
                .contains("| upload throughput vs HAProxy | >= 0.9x | 0.90x | yes |")
                .contains("| yes | 1073741824 | 2.5 | 429 | 200 MB | `-Xmx128m` |");
    }

    @Test
    void refusesALineOfUnknownKindOrWithoutItsFigures() {
        assertThatThrownBy(() -> builder("{\"kind\":\"wrong\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown kind \"wrong\"");
        assertThatThrownBy(() -> builder("{\"kind\":\"wrk\",\"scenario\":\"upload\",\"target\":\"nginx\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no \"requests\"");
        assertThatThrownBy(() -> builder("not json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1 is not JSON");
    }
}
