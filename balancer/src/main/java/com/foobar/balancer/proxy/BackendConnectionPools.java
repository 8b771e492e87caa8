package com.foobar.balancer.proxy;

import com.foobar.balancer.config.KeepAliveConfig;
import com.foobar.balancer.upstream.UpstreamServer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections to upstream servers, kept per event loop so a client and its upstream connection always
 * share a thread and the pools need no locks. Each server's idle list is bounded by {@code keepalive.max_idle} and
 * used LIFO (warm connections first); a sweep closes connections idle longer than {@code keepalive.idle_timeout}.
 * A connection to an address the server's name no longer resolves to is never reused: {@link #acquire} closes it when
 * it comes up, and the sweep closes the rest within a second of the move.
 */
final class BackendConnectionPools {

    private static final long SWEEP_INTERVAL_MILLIS = 1_000;

    private final ConcurrentHashMap<EventLoop, LoopPools> loops = new ConcurrentHashMap<>();

    /**
     * An idle, open connection to {@code server} on {@code loop}, or null. Call on {@code loop}. {@code nowNanos} is
     * the caller's latest {@link System#nanoTime()}: the proxy reads the clock once per event and shares it.
     */
    BackendHandler acquire(EventLoop loop, UpstreamServer server, long nowNanos) {
        LoopPools pools = loops.get(loop);
        return pools == null ? null : pools.acquire(server, nowNanos);
    }

    /**
     * Parks a connection whose exchange completed cleanly; closes it when the pool is full. Call on its loop.
     * {@code nowNanos} (the caller's latest {@link System#nanoTime()}) starts its idle time.
     */
    void release(BackendHandler connection, KeepAliveConfig keepAlive, long nowNanos) {
        Channel ch = connection.channel();
        if (!ch.isActive() || keepAlive.maxIdlePerServer() <= 0) {
            ch.close();
            return;
        }
        EventLoop loop = ch.eventLoop();
        LoopPools pools = loops.get(loop);
        if (pools == null) {
            pools = loops.computeIfAbsent(loop, LoopPools::new);
        }
        pools.release(connection, keepAlive, nowNanos);
    }

    /** Forgets a connection that closed while idle. Call on its loop. */
    void remove(BackendHandler connection) {
        LoopPools pools = loops.get(connection.channel().eventLoop());
        if (pools != null) {
            pools.remove(connection);
        }
    }

    /** Idle connections currently pooled, over all loops (a test and status aid; not exact while loops run). */
    int idleCount() {
        int n = 0;
        for (LoopPools p : loops.values()) {
            n += p.size();
        }
        return n;
    }

    private static final class Idle {
        final ArrayDeque<BackendHandler> connections = new ArrayDeque<>();
        KeepAliveConfig keepAlive;
    }

    private static final class LoopPools {
        private final Map<UpstreamServer, Idle> byServer = new IdentityHashMap<>();
        private final EventLoop loop;
        private volatile int size;

        LoopPools(EventLoop loop) {
            this.loop = loop;
            loop.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL_MILLIS, SWEEP_INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
        }

        BackendHandler acquire(UpstreamServer server, long now) {
            Idle idle = byServer.get(server);
            if (idle == null) {
                return null;
            }
            long maxIdle = idle.keepAlive.idleTimeout().toNanos();
            BackendHandler c;
            while ((c = idle.connections.pollFirst()) != null) {
                size--;
                c.pooled(false);
                if (c.channel().isActive() && now - c.idleSince() < maxIdle && !c.toOldAddress()) {
                    return c;
                }
                c.channel().close();
            }
            return null;
        }

        void release(BackendHandler connection, KeepAliveConfig keepAlive, long now) {
            Idle idle = byServer.get(connection.server());
            if (idle == null) {
                idle = new Idle();
                byServer.put(connection.server(), idle);
            }
            idle.keepAlive = keepAlive;
            if (idle.connections.size() >= keepAlive.maxIdlePerServer()) {
                connection.channel().close();
                return;
            }
            connection.idleSince(now);
            connection.pooled(true);
            idle.connections.addFirst(connection);
            size++;
            // A pending read lets the pool notice a server closing an idle connection before it is reused.
            connection.channel().read();
        }

        void remove(BackendHandler connection) {
            Idle idle = byServer.get(connection.server());
            if (idle != null && idle.connections.remove(connection)) {
                size--;
                connection.pooled(false);
            }
        }

        int size() {
            return size;
        }

        private void sweep() {
            long now = loop.ticker().nanoTime();
            for (Iterator<Map.Entry<UpstreamServer, Idle>> it = byServer.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<UpstreamServer, Idle> e = it.next();
                Idle idle = e.getValue();
                long maxIdle = idle.keepAlive.idleTimeout().toNanos();
                BackendHandler oldest;
                while ((oldest = idle.connections.peekLast()) != null && now - oldest.idleSince() >= maxIdle) {
                    idle.connections.pollLast();
                    size--;
                    oldest.pooled(false);
                    oldest.channel().close();
                }
                // The server's name moved: its idle connections to the old address go (requests on busy ones finish).
                for (Iterator<BackendHandler> c = idle.connections.iterator(); c.hasNext(); ) {
                    BackendHandler h = c.next();
                    if (h.toOldAddress()) {
                        c.remove();
                        size--;
                        h.pooled(false);
                        h.channel().close();
                    }
                }
                // Servers removed by a reload leave their pools here; drop them once empty.
                if (idle.connections.isEmpty() && e.getKey().removed()) {
                    it.remove();
                }
            }
        }
    }
}
