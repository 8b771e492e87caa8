package com.foobar.balancer.proxy;

import com.foobar.balancer.config.Durations;
import com.foobar.balancer.config.KeepAliveConfig;
import com.foobar.balancer.config.PoolConfig;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.transport.Transport;
import com.foobar.balancer.upstream.FailureKind;
import com.foobar.balancer.upstream.UpstreamServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.RecvByteBufAllocator;

import java.net.ConnectException;
import java.net.InetSocketAddress;

/**
 * The balancer's {@link UpstreamConnector}: idle keep-alive connections per event loop ({@link BackendConnectionPools})
 * and new connections made with the balancer's transport on the client's own loop, so a client and its upstream
 * connection always share a thread. Counts upstream connections opened and closed.
 */
final class UpstreamConnections implements UpstreamConnector {

    /**
     * Reads from servers grow up to 256 KiB (Netty's default stops at 64 KiB): a large response then costs a quarter
     * of the reads and writes. With io_uring, 1 MiB responses went from 0.85x to 0.95x HAProxy's throughput in
     * bench/ (large-response, rounds interleaved). Small responses never grow the buffer, and each read's buffer is
     * returned to the pool once written to the client.
     */
    static final RecvByteBufAllocator UPSTREAM_READS = new AdaptiveRecvByteBufAllocator(64, 2048, 256 * 1024);

    private final Transport transport;
    private final BalancerMetrics metrics;
    private final BackendConnectionPools idle;

    UpstreamConnections(Transport transport, BalancerMetrics metrics) {
        this.transport = transport;
        this.metrics = metrics;
        this.idle = new BackendConnectionPools();
    }

    /** Idle connections pooled now, over all loops (a test and status aid; not exact while loops run). */
    int idleCount() {
        return idle.idleCount();
    }

    @Override
    public BackendHandler acquire(EventLoop loop, UpstreamServer server, long nowNanos) {
        return idle.acquire(loop, server, nowNanos);
    }

    @Override
    public void release(BackendHandler connection, KeepAliveConfig keepAlive, long nowNanos) {
        idle.release(connection, keepAlive, nowNanos);
    }

    @Override
    public void connect(EventLoop loop, UpstreamServer server, PoolConfig pool, UpstreamEvents events) {
        // The one read of the server's current address (a re-resolved name may move); selection only picks servers
        // that have one, and a server never loses its address once it has one.
        InetSocketAddress to = server.socketAddress();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(transport.channelType())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, UPSTREAM_READS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, pool.connectTimeout().toMillis()))
                .handler(new BackendInitializer(idle, server, to));
        b.connect(to).addListener(f -> connected((ChannelFuture) f, server, pool, events));
    }

    private void connected(ChannelFuture f, UpstreamServer server, PoolConfig pool, UpstreamEvents events) {
        if (!f.isSuccess()) {
            server.connectFailed(); // a server named by DNS may have moved: ask again soon
            Throwable cause = f.cause();
            boolean timedOut = cause instanceof ConnectTimeoutException;
            events.connectFailed(server, timedOut ? FailureKind.CONNECT_TIMEOUT : FailureKind.CONNECT_REFUSED,
                    timedOut ? "connect timed out after " + Durations.format(pool.connectTimeout())
                            : "connect failed (" + describe(cause) + ")");
            return;
        }
        Channel ch = f.channel();
        String poolLabel = server.poolName();
        String serverLabel = server.name();
        metrics.upstreamConnectionOpened(poolLabel, serverLabel);
        ch.closeFuture().addListener(cf -> metrics.upstreamConnectionClosed(poolLabel, serverLabel));
        BackendHandler connection = ch.pipeline().get(BackendHandler.class);
        if (!events.connected(server, connection)) {
            // The client left (or the exchange moved on) while we connected: keep the fresh connection for someone else.
            idle.release(connection, pool.keepAlive(), ch.eventLoop().ticker().nanoTime());
        }
    }

    /** One line for what broke a connection: the client sees it after {@code server NAME (ADDRESS)}. */
    static String describe(Throwable t) {
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : Refusal.oneLine(m);
    }
}
