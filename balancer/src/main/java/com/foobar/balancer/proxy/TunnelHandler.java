package com.foobar.balancer.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * One side of a {@link Tunnel}: what this connection reads is written to the other one, flushed once per read, and
 * this side reads more only while the other can take it; when the other becomes writable again it asks this side to
 * read (AUTO_READ is off on both).
 */
final class TunnelHandler extends ChannelInboundHandlerAdapter {
    private final Tunnel tunnel;
    private final Channel peer;

    TunnelHandler(Tunnel tunnel, Channel peer) {
        this.tunnel = tunnel;
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b && b.isReadable()) {
            peer.write(b, peer.voidPromise());
        } else {
            // The empty end the HTTP codec decodes after a 101, on its way out with the codec: not tunnel bytes.
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (peer.isWritable()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            peer.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent || evt == ProxyEvents.DRAIN) {
            tunnel.close();
        } else if (evt == ChannelInputShutdownEvent.INSTANCE) {
            halfClosed(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * This side sent FIN: the other side gets a FIN too once what was read is written, and may still answer. When
     * this side was already told the other is done (its output shut), both directions are over.
     */
    private void halfClosed(ChannelHandlerContext ctx) {
        boolean otherDone = ctx.channel() instanceof DuplexChannel self && self.isOutputShutdown();
        if (otherDone || !(peer instanceof DuplexChannel duplex) || !peer.isActive()) {
            tunnel.close();
            return;
        }
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (written.isSuccess()) {
                // The other side's own FIN may have been handled while this one waited for the flush: it then saw
                // this output still open and only passed its FIN on. Whoever shuts the last direction ends it.
                duplex.shutdownOutput().addListener(shut -> {
                    if (!shut.isSuccess() || duplex.isInputShutdown()) {
                        tunnel.close();
                    }
                });
            } else {
                tunnel.close();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        tunnel.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or broken pipe on either side ends the tunnel; there is no HTTP left to answer with.
        tunnel.close();
    }
}
