package com.foobar.stack;

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

/**
 * Reads the balancer's {@code GET /api/status} (issue 2): {@code {"pools":[{"servers":[{"name":..,"state":..}]}]}}.
 * The stack calls itself up only once the balancer sees every web server up, so the first curl succeeds.
 */
final class BalancerStatus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI statusUri;

    BalancerStatus(String adminHostPort) {
        this.statusUri = URI.create("http://" + adminHostPort + "/api/status");
    }

    /** Each server's state by name, across pools; empty when the admin listener does not answer yet. */
    Map<String, String> serverStates() {
        Map<String, String> states = new LinkedHashMap<>();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(statusUri).timeout(TIMEOUT).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return states;
            }
            JsonNode root = JSON.readTree(response.body());
            for (JsonNode pool : root.path("pools")) {
                for (JsonNode server : pool.path("servers")) {
                    if (!server.path("backup").asBoolean(false)) {
                        states.put(server.path("name").asText(), server.path("state").asText());
                    }
                }
            }
        } catch (IOException e) {
            states.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            states.clear();
        }
        return states;
    }

    /** Whether the admin listener answers and every primary server is up. */
    boolean allUp() {
        Map<String, String> states = serverStates();
        return !states.isEmpty() && states.values().stream().allMatch("up"::equals);
    }

    /** Whether the admin listener answers at all. */
    boolean answers() {
        try {
            return client.send(HttpRequest.newBuilder(statusUri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
