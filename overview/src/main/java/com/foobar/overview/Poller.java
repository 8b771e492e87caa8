package com.foobar.overview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Fetches every source at once, each with its own timeout, so one slow or dead server delays nothing else. Remembers
 * where each balancer's event list was read up to, and reads it from the start again when that balancer restarted
 * (its {@code started} changed).
 */
final class Poller {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OverviewConfig config;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<String, EventCursor> cursors = new LinkedHashMap<>();
    private final Supplier<Map<String, String>> processes;

    private static final class EventCursor {
        String started = "";
        long latest;
    }

    /** @param processes each component's process state by name, from an in-process supervisor; may be null */
    Poller(OverviewConfig config, Executor executor, Supplier<Map<String, String>> processes) {
        this.config = config;
        this.processes = processes;
        // Every source is on a local or container network: a second is long for any of them.
        this.timeout = Duration.ofMillis(Math.min(1000, Math.max(300, config.interval().toMillis() * 2)));
        this.http = HttpClient.newBuilder().executor(executor).connectTimeout(timeout).build();
        config.balancers().forEach(b -> cursors.put(b.name(), new EventCursor()));
    }

    Reading poll() {
        long nanos = System.nanoTime();
        long epochMillis = System.currentTimeMillis();
        Map<String, CompletableFuture<Reading.Fetched>> balancers = new LinkedHashMap<>();
        Map<String, CompletableFuture<Reading.Fetched>> events = new LinkedHashMap<>();
        for (OverviewConfig.Source b : config.balancers()) {
            balancers.put(b.name(), get(b.base().resolve("/api/status")));
            events.put(b.name(), get(b.base().resolve("/api/events?after=" + cursors.get(b.name()).latest)));
        }
        Map<String, CompletableFuture<Reading.Fetched>> webs = new LinkedHashMap<>();
        config.webs().forEach(w -> webs.put(w.name(), get(w.base().resolve("/api/status"))));
        CompletableFuture<Reading.Fetched> failover = config.failover().map(u -> get(u.resolve("/api/status")))
                .orElse(CompletableFuture.completedFuture(null));
        CompletableFuture<Reading.Fetched> components = config.components().map(this::get)
                .orElse(CompletableFuture.completedFuture(processes == null ? null : inProcess(processes.get())));
        Map<String, Reading.Fetched> eventAnswers = join(events);
        eventAnswers.replaceAll(this::advance);
        return new Reading(nanos, epochMillis, join(balancers), eventAnswers, join(webs), failover.join(),
                components.join());
    }

    /** Moves the balancer's cursor; an answer from a restarted balancer is dropped and read again from 1 next time. */
    private Reading.Fetched advance(String balancer, Reading.Fetched answer) {
        if (!answer.ok()) {
            return answer;
        }
        EventCursor cursor = cursors.get(balancer);
        String started = answer.body().path("started").asText();
        if (!started.equals(cursor.started)) {
            boolean first = cursor.started.isEmpty();
            cursor.started = started;
            cursor.latest = 0;
            if (!first) {
                return Reading.Fetched.of(JSON.createObjectNode().putArray("events"));
            }
        }
        for (JsonNode e : answer.body().path("events")) {
            cursor.latest = Math.max(cursor.latest, e.path("seq").asLong());
        }
        return answer;
    }

    /** The supervisor's states in the form its HTTP API has: {@code {"components":[{"name","state"}]}}. */
    private static Reading.Fetched inProcess(Map<String, String> states) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("components");
        states.forEach((name, state) -> list.addObject().put("name", name).put("state", state));
        return Reading.Fetched.of(root);
    }

    private static Map<String, Reading.Fetched> join(Map<String, CompletableFuture<Reading.Fetched>> futures) {
        Map<String, Reading.Fetched> out = new LinkedHashMap<>();
        futures.forEach((name, f) -> out.put(name, f.join()));
        return out;
    }

    private CompletableFuture<Reading.Fetched> get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET()
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(Poller::parse)
                .exceptionally(e -> Reading.Fetched.failed(reason(e)));
    }

    private static Reading.Fetched parse(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return Reading.Fetched.failed("answered " + response.statusCode());
        }
        try {
            return Reading.Fetched.of(JSON.readTree(response.body()));
        } catch (IOException e) {
            return Reading.Fetched.failed("answered something that is not JSON");
        }
    }

    /** One line for the page: what a person would say, not the exception's class. */
    static String reason(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        while (cause instanceof IOException && cause.getCause() instanceof IOException inner) {
            cause = inner;
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return "no answer to connect (timed out)";
        }
        if (cause instanceof HttpTimeoutException) {
            return "no answer in time";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? "unreachable" : "unreachable: " + message;
    }
}
