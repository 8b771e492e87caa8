package com.foobar.balancer.firewall;

import com.foobar.balancer.metrics.BalancerMetrics;
import io.netty.channel.ChannelHandlerContext;

import java.net.InetAddress;
import java.util.function.Predicate;

/** Closes at accept a connection whose address the listener's {@code allow}/{@code deny} lists refuse. */
final class AccessControlHandler extends ConnectionRefusingHandler {

    private final Predicate<InetAddress> acl;
    private final BalancerMetrics metrics;
    private final String listener;

    AccessControlHandler(Predicate<InetAddress> acl, BalancerMetrics metrics, String listener) {
        this.acl = acl;
        this.metrics = metrics;
        this.listener = listener;
    }

    @Override
    protected boolean admit(ChannelHandlerContext ctx, InetAddress client) {
        return acl.test(client);
    }

    @Override
    protected void refused(InetAddress client) {
        metrics.connectionRefused(listener, BalancerMetrics.RefusalReason.ACL);
    }
}
