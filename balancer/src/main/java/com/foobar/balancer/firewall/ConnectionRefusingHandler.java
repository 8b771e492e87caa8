package com.foobar.balancer.firewall;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Decides at accept whether a client connection may stay. A refused connection is closed before any byte is read, and
 * its registered/active/inactive events stop here, so the handlers behind never see (or count) a connection they
 * were not given.
 */
abstract class ConnectionRefusingHandler extends ChannelInboundHandlerAdapter {

    private boolean refused;

    /** Whether {@code client} may connect; called once per connection, on its event loop. */
    protected abstract boolean admit(ChannelHandlerContext ctx, InetAddress client);

    /** Counts the refusal. */
    protected abstract void refused(InetAddress client);

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
        InetAddress client = client(ctx);
        if (client != null && !admit(ctx, client)) {
            refused = true;
            refused(client);
            ctx.channel().close();
            return;
        }
        super.channelRegistered(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!refused) {
            super.channelActive(ctx);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!refused) {
            super.channelInactive(ctx);
        }
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) throws Exception {
        if (!refused) {
            super.channelUnregistered(ctx);
        }
    }

    static InetAddress client(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }
}
