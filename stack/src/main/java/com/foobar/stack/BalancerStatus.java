package com.foobar.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.foobar.balancer.events.BalancerEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the balancer's admin API: {@code GET /api/status} ({@code {"pools":[{"servers":[{"name":..,"state":..}]}]}}),
 * so that the stack calls itself up only once the balancer sees every web server up and the first curl succeeds; and
 * {@code GET /api/events?after=N}, the server state changes and reload results the console tells.
 */
final class BalancerStatus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI statusUri;
    private final String eventsUri;

    BalancerStatus(String adminHostPort) {
        this.statusUri = URI.create("http://" + adminHostPort + "/api/status");
        this.eventsUri = "http://" + adminHostPort + "/api/events?after=";
    }

    /**
     * The balancer's events numbered above {@code after} and the number of its latest; {@code started} changes when
     * the balancer restarted and numbers from 1 again.
     */
    record EventsPage(String started, long latest, List<BalancerEvent> events) {
    }

    /** The events after {@code after}; empty when the admin listener does not answer. */
    Optional<EventsPage> events(long after) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(eventsUri + after))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode root = JSON.readTree(response.body());
            List<BalancerEvent> events = new ArrayList<>();
            for (JsonNode e : root.path("events")) {
                events.add(new BalancerEvent(e.path("seq").asLong(), Instant.parse(e.path("at").asText()),
                        e.path("kind").asText(), e.path("subject").asText(), e.path("message").asText()));
            }
            return Optional.of(new EventsPage(root.path("started").asText(), root.path("latest").asLong(), events));
        } catch (IOException | DateTimeParseException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
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
