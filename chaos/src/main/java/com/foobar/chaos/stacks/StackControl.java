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

/** The no-Docker stack's control API ({@code foobar --control-port N}): components, stop, start. */
public final class StackControl {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public StackControl(URI base) {
        this.base = base;
    }

    /** One component as the stack shows it. */
    public record Component(String name, String state, long pid, int restarts) {
    }

    public Map<String, Component> components() throws IOException {
        Map<String, Component> all = new LinkedHashMap<>();
        for (JsonNode c : JSON.readTree(call("GET", "/api/components", Duration.ofSeconds(5))).path("components")) {
            all.put(c.path("name").asText(), new Component(c.path("name").asText(), c.path("state").asText(),
                    c.path("pid").asLong(), c.path("restarts").asInt()));
        }
        return all;
    }

    public Component component(String name) throws IOException {
        Component c = components().get(name);
        if (c == null) {
            throw new IOException("the stack has no component " + name);
        }
        return c;
    }

    /** Stops it (SIGTERM, then SIGKILL after its grace) and returns once it exited. */
    public void stop(String name) throws IOException {
        call("POST", "/api/components/" + name + "/stop", Duration.ofSeconds(60));
    }

    /** Starts it and returns once it is ready. */
    public void start(String name) throws IOException {
        call("POST", "/api/components/" + name + "/start", Duration.ofMinutes(3));
    }

    private String call(String method, String path, Duration timeout) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException(method + " " + path + " on the stack's control API answered " + r.statusCode()
                        + ": " + r.body().strip());
            }
            return r.body();
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach the stack's control API at " + base + " (connection refused; is the "
                    + "stack running with --control-port?)", e);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IOException("the stack's control API at " + base + " did not answer " + method + " " + path
                    + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
