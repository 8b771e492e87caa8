package com.foobar.chaos.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.foobar.chaos.stacks.BalancerAdmin;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rolling restart against a stand-in of the balancer's admin API on a real socket: a drained server still has
 * requests in flight for a moment, an enabled one is down until its health checks pass, and (with a slow start) below
 * its full weight for a while after that.
 */
class RollingRestartProcedureTest {

    /**
     * One server of the stand-in: state, in-flight requests, how many more polls it stays busy or down, and for how
     * many polls after it is up again it ramps (effective weight below its weight: the pool's slow start).
     */
    private static final class Server {
        String state = "up";
        int busyPolls;
        int downPolls;
        int rampPollsAfterUp;
        int rampPolls;
    }

    private final Map<String, Server> servers = new LinkedHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private HttpServer admin;

    @BeforeEach
    void start() throws IOException {
        servers.put("web-1", new Server());
        servers.put("web-2", new Server());
        admin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        admin.createContext("/", this::handle);
        admin.start();
    }

    @AfterEach
    void stop() {
        admin.stop(0);
    }

    private synchronized void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String body;
        if (path.equals("/api/status")) {
            List<String> json = new ArrayList<>();
            for (Map.Entry<String, Server> e : servers.entrySet()) {
                Server s = e.getValue();
                int inFlight = s.busyPolls > 0 ? 3 : 0;
                if (s.busyPolls > 0) {
                    s.busyPolls--;
                }
                if (s.state.equals("down") && s.downPolls-- <= 0) {
                    s.state = "up";
                    s.rampPolls = s.rampPollsAfterUp;
                }
                double effectiveWeight = s.state.equals("up") && s.rampPolls > 0 ? 0.25 : 1;
                if (effectiveWeight < 1) {
                    s.rampPolls--;
                }
                json.add("{\"name\":\"" + e.getKey() + "\",\"state\":\"" + s.state + "\",\"in_flight\":" + inFlight
                        + ",\"weight\":1,\"effective_weight\":" + effectiveWeight + "}");
            }
            body = "{\"pools\":[{\"name\":\"web\",\"servers\":[" + String.join(",", json) + "]}]}";
        } else {
            String[] p = path.split("/");
            Server s = servers.get(p[5]);
            calls.add(p[6] + " " + p[5]);
            if (p[6].equals("drain")) {
                servers.forEach((name, other) -> {
                    if (other.rampPolls > 0) {
                        calls.add("drained " + p[5] + " while " + name + " ramps");
                    }
                });
                s.state = "draining";
                s.busyPolls = 2;
            } else {
                s.state = "down";
                s.downPolls = 2;
            }
            body = "{}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private RollingRestartProcedure procedure(List<String> steps) {
        BalancerAdmin balancer = new BalancerAdmin(URI.create("http://127.0.0.1:" + admin.getAddress().getPort()));
        return new RollingRestartProcedure(balancer, "web", new RollingRestartProcedure.Restarter() {
            @Override
            public void stop(String server) {
                calls.add("stop " + server + " while " + servers.get(server).state);
            }

            @Override
            public void start(String server) {
                calls.add("start " + server);
            }
        }, Duration.ofSeconds(10), Duration.ofSeconds(10), (server, step) -> steps.add(server + " " + step));
    }

    @Test
    void eachServerIsDrainedIdleRestartedEnabledAndUpBeforeTheNext() throws Exception {
        List<String> steps = new ArrayList<>();

        procedure(steps).restart(List.of("web-1", "web-2"));

        assertThat(calls).containsExactly("drain web-1", "stop web-1 while draining", "start web-1", "enable web-1",
                "drain web-2", "stop web-2 while draining", "start web-2", "enable web-2");
        assertThat(steps).containsExactly("web-1 drain", "web-1 in-flight 0", "web-1 stopped", "web-1 started",
                "web-1 enabled", "web-1 up", "web-1 ramped", "web-2 drain", "web-2 in-flight 0", "web-2 stopped",
                "web-2 started", "web-2 enabled", "web-2 up", "web-2 ramped");
    }

    @Test
    void theNextServerIsDrainedOnlyOnceTheRestartedOneHasFinishedItsSlowStart() throws Exception {
        servers.values().forEach(s -> s.rampPollsAfterUp = 5);
        List<String> steps = new ArrayList<>();

        procedure(steps).restart(List.of("web-1", "web-2"));

        assertThat(calls).containsExactly("drain web-1", "stop web-1 while draining", "start web-1", "enable web-1",
                "drain web-2", "stop web-2 while draining", "start web-2", "enable web-2");
        assertThat(steps).containsSubsequence("web-1 up", "web-1 ramped", "web-2 drain");
    }

    @Test
    void itRefusesToTakeAServerOutWhileAnotherIsNotUp() {
        servers.get("web-2").state = "ejected";

        assertThatThrownBy(() -> procedure(new ArrayList<>()).restart(List.of("web-1", "web-2")))
                .hasMessage("web-2 is ejected: taking another server out now could leave none; the rolling restart "
                        + "needs every server up");
        assertThat(calls).isEmpty();
    }

    @Test
    void anUnknownServerIsRefusedBeforeAnythingIsTouched() {
        assertThatThrownBy(() -> procedure(new ArrayList<>()).restart(List.of("web-1", "web-9")))
                .hasMessage("the balancer's pool web has no server web-9 (it has [web-1, web-2])");
        assertThat(calls).isEmpty();
    }
}
