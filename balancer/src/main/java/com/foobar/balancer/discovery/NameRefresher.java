package com.foobar.balancer.discovery;

import com.foobar.balancer.config.DnsConfig;
import com.foobar.balancer.transport.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Keeps server names resolved: each watched target's name is asked again on its {@link RefreshSchedule} (interval,
 * TTL, floor) and at once after a connect failure, and every answer is handed to the target. Like HAProxy's
 * {@code resolvers} section and Envoy's {@code STRICT_DNS} clusters, this runs beside the traffic: a request only
 * reads the address last handed over, never waits for DNS.
 *
 * <p>All queries, timers and hand-overs run on one event loop, the resolver's: resolution is rare (a name every few
 * seconds), so one loop is plenty and each watch's state needs no lock. {@link #watch} and
 * {@link NameWatch#connectFailed} may be called from any thread.
 *
 * <p>A server follows its name to one address; a pool's {@code discover} name (a server per record) is a target too,
 * one that takes the whole answer ({@link ResolveTarget#answered}). SRV records are not read.
 */
public final class NameRefresher implements AutoCloseable {

    private static final Duration QUIET = Duration.ofMillis(100);
    static final String THREAD_NAME = "balancer-dns";

    private final DnsResolver resolver;
    /** The resolver's own loop, stopped by {@link #close}. */
    private final EventLoopGroup group;
    private final Map<ResolveTarget, NameWatch> watches = new ConcurrentHashMap<>();
    private volatile Duration floor;
    private volatile boolean closed;

    private NameRefresher(EventLoopGroup group, DnsResolver resolver, Duration floor) {
        this.group = group;
        this.resolver = resolver;
        this.floor = floor;
    }

    /**
     * A refresher with an event loop of its own: one NIO thread, {@value #THREAD_NAME}, whatever transport the
     * balancer's connections use. DNS is a query every few seconds, so a native transport gains nothing here, and
     * Netty's io_uring datagram channel (4.2.18) loses its read buffer when the loop stops while a query is under way:
     * every balancer stopped while it resolved leaked one (found by the paranoid leak check, reproduced by stopping a
     * loop with queries in flight; epoll and NIO do not). Closing the refresher stops the loop.
     */
    public static NameRefresher start(DnsConfig dns) {
        Transport nio = Transport.named("nio");
        EventLoopGroup group = nio.newGroup(1, THREAD_NAME);
        return new NameRefresher(group, new DnsResolver(group.next(), nio, dns), dns.minTtl());
    }

    EventLoop loop() {
        return resolver.loop();
    }

    DnsResolver resolver() {
        return resolver;
    }

    Duration floor() {
        return floor;
    }

    /** A new floor ({@code dns.min_ttl}) for the queries scheduled from now on. */
    public void floor(Duration floor) {
        this.floor = floor;
    }

    /**
     * Re-resolves {@code target}'s name every {@code interval} at most ({@link RefreshSchedule}); a new target is
     * asked at once. A target already watched keeps its watch, and with it its schedule and address; a changed
     * interval applies from its last answer.
     *
     * @return the target's watch, or null once the refresher is closed
     */
    public NameWatch watch(ResolveTarget target, Duration interval) {
        if (closed) {
            return null;
        }
        NameWatch existing = watches.get(target);
        if (existing != null) {
            existing.interval(interval);
            return existing;
        }
        NameWatch w = new NameWatch(this, target, interval);
        watches.put(target, w);
        w.start();
        return w;
    }

    /** Stops re-resolving {@code target}; it keeps the address it has. */
    public void unwatch(ResolveTarget target) {
        NameWatch w = watches.remove(target);
        if (w != null) {
            w.cancel();
        }
    }

    /**
     * Waits until each of {@code targets} that is watched has had its first answer (or failure), for at most
     * {@code timeout} in all. Call from a thread that is not an event loop, as the start does, so that the balancer
     * starts with its servers' addresses as it did when it resolved them at load.
     */
    public void awaitFirstAnswers(Collection<? extends ResolveTarget> targets, Duration timeout)
            throws InterruptedException {
        if (loop().inEventLoop()) {
            throw new IllegalStateException("awaitFirstAnswers would block the resolver's event loop");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ResolveTarget t : targets) {
            NameWatch w = watches.get(t);
            if (w != null && !w.awaitFirstAnswer(deadline - System.nanoTime())) {
                return;
            }
        }
    }

    /** Stops every watch and closes the resolver. Targets keep the addresses they have. */
    @Override
    public void close() {
        closed = true;
        watches.values().forEach(NameWatch::cancel);
        watches.clear();
        resolver.close();
        // The resolver closes its channels on the loop; the quiet period lets that run before the loop stops.
        group.shutdownGracefully(QUIET.toMillis(), QUIET.toMillis() * 10, TimeUnit.MILLISECONDS);
    }

    boolean closed() {
        return closed;
    }

    /** Runs {@code task} on the resolver's loop; false when the loop has stopped. */
    boolean onLoop(Runnable task) {
        if (loop().isShuttingDown()) {
            return false;
        }
        try {
            loop().execute(task);
            return true;
        } catch (RejectedExecutionException stopped) {
            return false;
        }
    }
}
