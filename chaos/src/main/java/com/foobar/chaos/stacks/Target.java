package com.foobar.chaos.stacks;

import com.foobar.chaos.load.Clock;
import com.foobar.chaos.load.ShopEndpoint;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A running Foobar Stack the scenarios break: the no-Docker stack ({@link LocalStack}) or the compose project
 * ({@link ComposeTarget}). Components have the stack's names: {@code web-1}, {@code balancer}, {@code db-primary},
 * {@code db-replica-1} (the roles at the start; a scenario that promotes a replica keeps calling the nodes so).
 */
public interface Target extends AutoCloseable {

    /** One line for the report: what ran, and how it was started. */
    String description();

    /** Where clients reach the shop: the balancer's public listener. */
    ShopEndpoint shop();

    /** The balancer's admin API. */
    BalancerAdmin admin();

    /** The balancer pool of the web servers. */
    default String pool() {
        return "web";
    }

    List<String> webServers();

    /**
     * SIGKILL, as a crash: {@code kill -9} of the component's process, or {@code docker kill} of its container.
     *
     * @return when its death was seen, on {@code clock}
     */
    double kill(String component, Clock clock) throws IOException;

    /** Whether the target itself brings a killed component back, and how (the report says so). */
    String afterKill(String component);

    /** Brings a killed component back where the target does not (compose: {@code docker start}); else nothing. */
    void bringBack(String component) throws IOException;

    /** Stops a web server on purpose (SIGTERM: it finishes its in-flight requests) and returns once it exited. */
    void stop(String component) throws IOException;

    /** Starts a stopped web server and returns once it is ready. */
    void start(String component) throws IOException;

    /** Whether the component runs now (a process or container). */
    boolean running(String component) throws IOException;

    /** Empty when the target has the capability, else the reason it lacks it ("not available in this stack: ..."). */
    Optional<String> lacks(Capability capability);

    /** The balancer pair with a virtual IP, where the target has one ({@link Capability#BALANCER_PAIR}). */
    default Optional<BalancerPair> balancerPair() {
        return Optional.empty();
    }

    /** The database, for what clients cannot see: acknowledged writes, roles, fencing. */
    Database database();

    /** What the target noticed about itself that the report should say (how it stopped, say). */
    default List<String> notes() {
        return List.of();
    }

    @Override
    void close();
}
