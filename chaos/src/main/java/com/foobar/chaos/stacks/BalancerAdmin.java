package com.foobar.chaos.stacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The balancer's admin API: server states and in-flight counts ({@code /api/status}), drain and enable. */
public final class BalancerAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public BalancerAdmin(URI base) {
        this.base = base;
    }

    public URI base() {
        return base;
    }

    /**
     * One server as {@code /api/status} gives it.
     *
     * @param weight          its configured weight
     * @param effectiveWeight the weight it gets now: below {@code weight} while it ramps up after coming back
     *                        ({@code slow_start})
     */
    public record Server(String name, String state, int inFlight, long requests, long failures, double weight,
                         double effectiveWeight) {
        /** Back at its full share: its slow start, if the pool has one, is over. */
        public boolean ramped() {
            return effectiveWeight >= weight;
        }
    }

    /** The servers of {@code pool}, by name. */
    public Map<String, Server> servers(String pool) throws IOException {
        JsonNode status = JSON.readTree(call("GET", "/api/status"));
        Map<String, Server> servers = new LinkedHashMap<>();
        for (JsonNode p : status.path("pools")) {
            if (p.path("name").asText().equals(pool)) {
                for (JsonNode s : p.path("servers")) {
                    servers.put(s.path("name").asText(), new Server(s.path("name").asText(), s.path("state").asText(),
                            s.path("in_flight").asInt(), s.path("requests").asLong(), s.path("failures").asLong(),
                            s.path("weight").asDouble(), s.path("effective_weight").asDouble()));
                }
            }
        }
        if (servers.isEmpty()) {
            throw new IOException("the balancer at " + base + " has no pool " + pool + " with servers");
        }
        return servers;
    }

    public void drain(String pool, String server) throws IOException {
        call("POST", "/api/pools/" + pool + "/servers/" + server + "/drain");
    }

    public void enable(String pool, String server) throws IOException {
        call("POST", "/api/pools/" + pool + "/servers/" + server + "/enable");
    }

    private String call(String method, String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException(method + " " + base.resolve(path) + " answered " + r.statusCode() + ": "
                        + r.body().strip());
            }
            return r.body();
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach the balancer's admin API at " + base + " (connection refused)", e);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IOException("the balancer's admin API at " + base + " did not answer " + method + " " + path
                    + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
