package com.foobar.balancer.firewall;

import com.foobar.balancer.metrics.BalancerMetrics;
import io.netty.channel.ChannelHandlerContext;

import java.net.InetAddress;

/** Refuses at accept a connection from an address that already has {@code max_connections_per_ip} open. */
final class ConnectionLimitHandler extends ConnectionRefusingHandler {

    private final ConnectionsPerIp counts;
    private final BalancerMetrics metrics;
    private final String listener;

    ConnectionLimitHandler(ConnectionsPerIp counts, BalancerMetrics metrics, String listener) {
        this.counts = counts;
        this.metrics = metrics;
        this.listener = listener;
    }

    @Override
    protected boolean admit(ChannelHandlerContext ctx, InetAddress client) {
        if (!counts.tryAcquire(client)) {
            return false;
        }
        ctx.channel().closeFuture().addListener(f -> counts.release(client));
        return true;
    }

    @Override
    protected void refused(InetAddress client) {
        metrics.connectionRefused(listener, BalancerMetrics.RefusalReason.PER_IP_LIMIT);
    }
}
