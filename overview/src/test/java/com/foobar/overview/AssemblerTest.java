package com.foobar.overview;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The document the page draws, from readings written as the sources answer (no I/O here). */
class AssemblerTest {
    private static final OverviewConfig CONFIG = new OverviewConfig("127.0.0.1", 0, Duration.ofMillis(500),
            Duration.ofMinutes(1), List.of(new OverviewConfig.Source("balancer", URI.create("http://127.0.0.1:9090"))),
            List.of(new OverviewConfig.Source("web-1", URI.create("http://127.0.0.1:8081")),
                    new OverviewConfig.Source("web-2", URI.create("http://127.0.0.1:8082"))),
            Optional.of(URI.create("http://127.0.0.1:9095")), Optional.empty());

    private static JsonNode json(String text) {
        try {
            return Assembler.JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String balancer(long web1, long web2, long errors, String web2State) {
        return "{'pools':[{'name':'web','servers':["
                + "{'name':'web-1','state':'up','responses':{'2xx':" + web1 + ",'5xx':0}},"
                + "{'name':'web-2','state':'" + web2State + "','responses':{'2xx':" + web2 + ",'5xx':" + errors + "}}]}],"
                + "'traffic':{'responses':{'2xx':" + (web1 + web2) + ",'5xx':" + errors + "},"
                + "'latency_seconds':{'count':" + (web1 + web2 + errors) + ",'buckets':[[0.001," + (web1 + web2)
                + "],[0.01," + (web1 + web2 + errors) + "]]}}}";
    }

    private static String web(long reads) {
        return "{'ready':true,'reason':'','requests':0,'server_errors':0,'database':{'writer':'primary','nodes':["
                + "{'name':'primary','address':'db-a:3306','role':'writer','up':true,'reads':0,'writes':" + reads / 10
                + "},{'name':'replica-1','address':'db-b:3306','role':'replica','up':true,'lag_seconds':1.0,'reads':"
                + reads + ",'writes':0}]}}";
    }

    private static final String FAILOVER = "{'state':'watching','detail':'primary is the primary','primary':'primary',"
            + "'nodes':[{'name':'primary','role':'primary','up':true},"
            + "{'name':'replica-1','role':'replica','up':true,'replication':{'io_thread':'Yes','sql_thread_running':true,"
            + "'source_node':'primary','seconds_behind':2}}],"
            + "'events':[{'at':'2026-12-06T10:00:00Z','node':'replica-1','message':'is a replica of primary'}]}";

    private static Reading reading(long nanos, String balancer, Map<String, String> processes, String web1,
                                   String web2) {
        return reading(nanos, balancer, processes, web1, web2, FAILOVER);
    }

    private static Reading reading(long nanos, String balancer, Map<String, String> processes, String web1,
                                   String web2, String failover) {
        Map<String, Reading.Fetched> webs = new LinkedHashMap<>();
        webs.put("web-1", web1 == null ? Reading.Fetched.failed("connection refused") : Reading.Fetched.of(json(web1)));
        webs.put("web-2", Reading.Fetched.of(json(web2)));
        ObjectNode components = Assembler.JSON.createObjectNode();
        processes.forEach((n, s) -> components.withArray("components").addObject().put("name", n).put("state", s));
        return new Reading(nanos, 1_700_000_000_000L + nanos / 1_000_000,
                Map.of("balancer", Reading.Fetched.of(json(balancer))),
                Map.of("balancer", Reading.Fetched.of(json("{'events':[{'at':'2026-12-06T10:00:01Z','subject':"
                        + "'web/web-2','message':'is DOWN: connection refused'}]}"))),
                webs, Reading.Fetched.of(json(failover)), Reading.Fetched.of(components));
    }

    @Test
    void ratesSharesAndStatesComeFromTheDifferenceBetweenTwoPolls() {
        Assembler assembler = new Assembler(CONFIG);
        assembler.next(reading(0, balancer(100, 100, 0, "up"), Map.of(), web(1000), web(1000)));
        JsonNode doc = assembler.next(reading(500_000_000, balancer(175, 125, 0, "up"), Map.of(), web(1040),
                web(1060)));

        assertThat(doc.get("req_s").asDouble()).isEqualTo(200.0);
        JsonNode web1 = doc.get("webs").get(0);
        assertThat(web1.get("req_s").asDouble()).isEqualTo(150.0);
        assertThat(web1.get("share").asDouble()).isEqualTo(0.75);
        assertThat(web1.get("state").asText()).isEqualTo("up");
        JsonNode replica = doc.get("databases").get(1);
        assertThat(replica.get("name").asText()).isEqualTo("replica-1");
        assertThat(replica.get("state").asText()).isEqualTo("replica");
        assertThat(replica.get("replicating").asBoolean()).isTrue();
        assertThat(replica.get("lag_seconds").asDouble()).as("db-failover's figure first").isEqualTo(2.0);
        assertThat(replica.get("reads_s").asDouble()).as("(40 + 60) reads in 0.5 s").isEqualTo(200.0);
        assertThat(doc.get("databases").get(0).get("state").asText()).isEqualTo("primary");
        assertThat(doc.get("p99_ms").asDouble()).as("rank 99 of 100, all under 1 ms").isEqualTo(0.99);
        assertThat(doc.get("series").get("req_s")).hasSize(2);
    }

    @Test
    void theRoutersNodesAreDbFailoversNodesAtTheSameAddressUnderDbFailoversNames() {
        String failover = FAILOVER.replace("'name':'primary'", "'name':'mysql-a','address':'db-a:3306'")
                .replace("'name':'replica-1'", "'name':'mysql-b','address':'db-b:3306'");
        Assembler assembler = new Assembler(CONFIG);
        assembler.next(reading(0, balancer(1, 1, 0, "up"), Map.of(), web(1000), web(1000), failover));
        JsonNode doc = assembler.next(reading(500_000_000, balancer(1, 1, 0, "up"), Map.of(), web(1040), web(1060),
                failover));

        JsonNode databases = doc.get("databases");
        assertThat(databases).hasSize(2);
        assertThat(databases.get(0).get("name").asText()).isEqualTo("mysql-a");
        assertThat(databases.get(1).get("name").asText()).isEqualTo("mysql-b");
        assertThat(databases.get(1).get("reads_s").asDouble()).as("both routers' reads of db-b").isEqualTo(200.0);
    }

    @Test
    void theSupervisorsWordThatAProcessExitedWinsOverWhatProbesLastSaw() {
        Assembler assembler = new Assembler(CONFIG);
        assembler.next(reading(0, balancer(1, 1, 0, "up"), Map.of(), web(1), web(1)));
        JsonNode doc = assembler.next(reading(500_000_000, balancer(1, 1, 0, "up"),
                Map.of("db-replica-1", "exited", "web-1", "running"), web(1), web(1)));

        JsonNode replica = doc.get("databases").get(1);
        assertThat(replica.get("state").asText()).isEqualTo("down");
        assertThat(replica.get("reason").asText()).isEqualTo("the process exited");
        assertThat(replica.get("lag_seconds").isNull()).isTrue();
        assertThat(replica.get("replicating").isNull()).isTrue();
        assertThat(doc.get("series").get("lag_s").get(1).isNull()).as("no live replica reports lag").isTrue();
        assertThat(doc.get("events").toString()).contains("replica -> down: the process exited");
    }

    @Test
    void aWebServerIsDownWhenItsStatusFailsAndShowsTheBalancersStateOtherwise() {
        Assembler assembler = new Assembler(CONFIG);
        JsonNode doc = assembler.next(reading(0, balancer(1, 1, 5, "ejected"), Map.of(), null, web(1)));

        assertThat(doc.get("webs").get(0).get("state").asText()).isEqualTo("down");
        assertThat(doc.get("webs").get(0).get("reason").asText()).isEqualTo("status: connection refused");
        assertThat(doc.get("webs").get(1).get("state").asText()).isEqualTo("ejected");
    }

    @Test
    void eventsFromEverySourceAreMergedNewestFirstAndListedOnce() {
        Assembler assembler = new Assembler(CONFIG);
        assembler.next(reading(0, balancer(1, 1, 0, "up"), Map.of(), web(1), web(1)));
        JsonNode doc = assembler.next(reading(500_000_000, balancer(1, 1, 0, "up"), Map.of(), web(1), web(1)));

        JsonNode events = doc.get("events");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("source").asText()).isEqualTo("balancer");
        assertThat(events.get(0).get("message").asText()).isEqualTo("is DOWN: connection refused");
        assertThat(events.get(1).get("source").asText()).isEqualTo("db-failover");
    }
}
