package com.foobar.stack.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control API over a real socket, in front of components kept in memory (the stack's are tested by StackIT). */
class ControlServerTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> notices = new CopyOnWriteArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final InMemory components = new InMemory();
    private ControlServer server;

    @BeforeEach
    void start() throws Exception {
        server = ControlServer.start(new InetSocketAddress("127.0.0.1", 0), components, notices::add);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listsEveryComponentWithItsStateAndPid() throws Exception {
        HttpResponse<String> r = send("GET", "/api/components");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode list = json.readTree(r.body()).path("components");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).path("name").asText()).isEqualTo("web-1");
        assertThat(list.get(0).path("state").asText()).isEqualTo("running");
        assertThat(list.get(0).path("pid").asLong()).isEqualTo(100);
        assertThat(list.get(1).path("controllable").asBoolean()).isFalse();
    }

    @Test
    void restartStopsThenStartsAndAnswersWithTheNewProcess() throws Exception {
        HttpResponse<String> r = send("POST", "/api/components/web-1/restart");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(calls).containsExactly("stop web-1", "start web-1");
        JsonNode view = json.readTree(r.body());
        assertThat(view.path("state").asText()).isEqualTo("running");
        assertThat(view.path("pid").asLong()).isEqualTo(101);
        assertThat(notices).contains("control API: restart web-1")
                .anyMatch(n -> n.startsWith("control API: restart web-1 done in ") && n.endsWith(": running (pid 101)"));
    }

    @Test
    void stopAnswersOnceTheComponentIsStopped() throws Exception {
        HttpResponse<String> r = send("POST", "/api/components/web-1/stop");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json.readTree(r.body()).path("state").asText()).isEqualTo("stopped");
        assertThat(json.readTree(send("GET", "/api/components/web-1").body()).path("pid").asLong()).isEqualTo(-1);
    }

    @Test
    void aRefusedActionAnswersItsStatusWithAOneLineReason() throws Exception {
        HttpResponse<String> r = send("POST", "/api/components/db-primary/stop");

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).isEqualTo("db-primary cannot be stopped on its own\n");
        assertThat(notices).contains("control API: stop db-primary refused: db-primary cannot be stopped on its own");
    }

    @Test
    void unknownComponentsAndPathsAre404() throws Exception {
        assertThat(send("GET", "/api/components/web-9").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/components/web-9").body()).isEqualTo("no such component: web-9\n");
        HttpResponse<String> path = send("GET", "/nothing");
        assertThat(path.statusCode()).isEqualTo(404);
        assertThat(path.body()).isEqualTo("no such resource: /nothing (see GET /api/components)\n");
        assertThat(send("POST", "/api/components/web-1/explode").statusCode()).isEqualTo(404);
    }

    @Test
    void aWrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> r = send("GET", "/api/components/web-1/restart");

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).contains("POST");
        assertThat(r.body()).isEqualTo("GET is not allowed here; use POST\n");
        assertThat(send("DELETE", "/api/components").statusCode()).isEqualTo(405);
        assertThat(calls).isEmpty();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        InetSocketAddress a = server.address();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** web-1 (pid 100, then 101 after a start) and db-primary, which refuses control. */
    private final class InMemory implements Components {
        private final Map<String, ComponentView> views = new LinkedHashMap<>();
        private long nextPid = 101;

        InMemory() {
            views.put("web-1", new ComponentView("web-1", "running", 100, 0, true));
            views.put("db-primary", new ComponentView("db-primary", "running", 200, 0, false));
        }

        @Override
        public synchronized List<ComponentView> list() {
            return new ArrayList<>(views.values());
        }

        @Override
        public synchronized ComponentView stop(String name) throws ControlException {
            ComponentView v = controllable(name);
            calls.add("stop " + name);
            ComponentView stopped = new ComponentView(name, "stopped", -1, v.restarts(), true);
            views.put(name, stopped);
            return stopped;
        }

        @Override
        public synchronized ComponentView start(String name) throws ControlException {
            ComponentView v = controllable(name);
            calls.add("start " + name);
            ComponentView started = new ComponentView(name, "running", nextPid++, v.restarts(), true);
            views.put(name, started);
            return started;
        }

        private ComponentView controllable(String name) throws ControlException {
            ComponentView v = views.get(name);
            if (v == null) {
                throw new ControlException(404, "no such component: " + name);
            }
            if (!v.controllable()) {
                throw new ControlException(409, name + " cannot be stopped on its own");
            }
            return v;
        }
    }
}
