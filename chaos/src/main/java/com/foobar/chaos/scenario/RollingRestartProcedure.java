package com.foobar.chaos.scenario;

import com.foobar.chaos.stacks.BalancerAdmin;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A rolling restart behind the balancer, one server at a time, so that no request fails: drain it (the balancer
 * sends it nothing new), wait until its in-flight requests reach 0, stop it, start it (ready), enable it, and wait
 * until the balancer's health checks have it up and its slow start is over before touching the next. The last wait
 * matters on a small machine: a web server that has just started is cold (its JVM not yet compiled the hot paths),
 * and draining the other one at once gave it all the traffic; in compose on 2 cores its health checks then timed
 * out, the balancer took it out too, and 350 reads got 503 with neither server in rotation. With the pool's
 * {@code slow_start} (HAProxy's {@code slowstart}) it warms up on a growing share while the other still serves;
 * without one, a server is at its full weight as soon as it is up. This is the order HAProxy's and nginx's
 * operators follow (set the server to drain, wait for its sessions, restart, set it ready); it refuses to start while a
 * server is not up, since taking another out could leave none.
 */
public final class RollingRestartProcedure {

    /** How the servers are stopped and started: the stack's control API, or compose. */
    public interface Restarter {
        void stop(String server) throws IOException;

        void start(String server) throws IOException;
    }

    /** Told each step as it is done: {@code drain}, {@code idle}, {@code stopped}, {@code started}, ... */
    public interface Listener {
        void step(String server, String step);
    }

    private final BalancerAdmin admin;
    private final String pool;
    private final Restarter restarter;
    private final Duration drainTimeout;
    private final Duration upTimeout;
    private final Listener listener;

    public RollingRestartProcedure(BalancerAdmin admin, String pool, Restarter restarter, Duration drainTimeout,
                                   Duration upTimeout, Listener listener) {
        this.admin = admin;
        this.pool = pool;
        this.restarter = restarter;
        this.drainTimeout = drainTimeout;
        this.upTimeout = upTimeout;
        this.listener = listener;
    }

    /**
     * Restarts the servers in order.
     *
     * @throws IOException if a server is not up before its turn, does not drain or does not come back in time; a
     *                     server left drained by a failure is enabled again first
     */
    public void restart(List<String> servers) throws IOException, InterruptedException {
        Map<String, BalancerAdmin.Server> now = admin.servers(pool);
        for (String server : servers) {
            if (!now.containsKey(server)) {
                throw new IOException("the balancer's pool " + pool + " has no server " + server + " (it has "
                        + now.keySet() + ")");
            }
        }
        for (String server : servers) {
            requireAllUp();
            admin.drain(pool, server);
            listener.step(server, "drain");
            if (!awaitIdle(server)) {
                admin.enable(pool, server);
                throw new IOException(server + " still had requests in flight " + drainTimeout.toSeconds()
                        + " s after the drain; enabled it again and stopped the rolling restart");
            }
            listener.step(server, "in-flight 0");
            restarter.stop(server);
            listener.step(server, "stopped");
            restarter.start(server);
            listener.step(server, "started");
            admin.enable(pool, server);
            listener.step(server, "enabled");
            if (!awaitUp(server)) {
                throw new IOException(server + " was not up in the balancer " + upTimeout.toSeconds()
                        + " s after it was enabled; stopped the rolling restart");
            }
            listener.step(server, "up");
            if (!awaitRamped(server)) {
                throw new IOException(server + " was still in its slow start " + upTimeout.toSeconds()
                        + " s after it was up; stopped the rolling restart");
            }
            listener.step(server, "ramped");
        }
    }

    private void requireAllUp() throws IOException {
        for (BalancerAdmin.Server s : admin.servers(pool).values()) {
            if (!s.state().equals("up")) {
                throw new IOException(s.name() + " is " + s.state() + ": taking another server out now could "
                        + "leave none; the rolling restart needs every server up");
            }
        }
    }

    private boolean awaitIdle(String server) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (admin.servers(pool).get(server).inFlight() == 0) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private boolean awaitRamped(String server) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + upTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            BalancerAdmin.Server s = admin.servers(pool).get(server);
            if (s.state().equals("up") && s.ramped()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private boolean awaitUp(String server) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + upTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (admin.servers(pool).get(server).state().equals("up")) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
