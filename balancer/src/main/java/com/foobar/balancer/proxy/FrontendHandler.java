package com.foobar.balancer.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Ticker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The client end of a proxied connection. Requests are handled one at a time, in order: pipelined input waits,
 * already decoded, until the exchange before it has completed, and no more is read from the socket meanwhile. Reads
 * are requested explicitly (AUTO_READ is off), which is what gives both directions their backpressure.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(FrontendHandler.class);


    private final ProxyContext proxy;
    private final ListenerState listener;
    private final ArrayDeque<Object> pending = new ArrayDeque<>(4);
    private ChannelHandlerContext ctx;
    /** The loop's clock: the exchanges read time from it, so their unit tests can move it. */
    private Ticker ticker;
    /** The connection's client timeouts, told of each request directly; null on h2 streams. */
    private ClientTimeoutHandler timeouts;
    private ProxyExchange current;
    private boolean closing;
    private boolean draining;
    private boolean dispatching;
    private boolean inReadBatch;
    private boolean stream;
    private InetAddress clientAddress;
    private String clientIp;
    private String client;
    private String scheme;

    FrontendHandler(ProxyContext proxy, ListenerState listener) {
        this.proxy = proxy;
        this.listener = listener;
    }

    ProxyContext proxy() {
        return proxy;
    }

    ListenerState listener() {
        return listener;
    }

    InetAddress clientAddress() {
        return clientAddress;
    }

    String clientIp() {
        return clientIp;
    }

    /** {@code ip:port} for the access log. */
    String client() {
        return client;
    }

    String scheme() {
        return scheme;
    }

    boolean draining() {
        return draining || listener.draining();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.ticker = ctx.executor().ticker();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        clientAddress = remote.getAddress();
        clientIp = clientAddress.getHostAddress();
        client = clientIp + ':' + remote.getPort();
        String proto = ctx.channel().attr(ProxyAttributes.FORWARDED_PROTO).get();
        scheme = proto == null ? "http" : proto;
        stream = ctx.channel() instanceof Http2StreamChannel;
        timeouts = ctx.pipeline().get(ClientTimeoutHandler.class);
        if (stream) {
            // A stream is a request on a connection counted already; its parent drains it.
            proxy.metrics().http2StreamOpened(listener.name());
        } else {
            proxy.metrics().clientConnectionOpened(listener.name());
            listener.clients().add(ctx.channel());
        }
        ctx.read();
        ctx.fireChannelActive();
    }

    /** A request head was decoded on this connection (the exchange calls this as it starts). */
    void requestHeadReceived() {
        if (timeouts != null) {
            timeouts.requestHeadReceived();
        }
    }

    /** True between a socket read's first message and its read-complete, which flushes upstream once for all. */
    boolean inReadBatch() {
        return inReadBatch;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inReadBatch = true;
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (dispatching || !pending.isEmpty() || (current != null && current.requestReceived())) {
            pending.add(msg);
        } else {
            dispatch(msg);
        }
    }

    private void dispatch(Object msg) {
        if (current != null) {
            current.onClientContent(msg);
        } else if (msg instanceof HttpRequest) {
            current = new ProxyExchange(this, ctx, (HttpRequest) msg, ticker);
            current.start();
        } else {
            // The end of a request already answered (an early error on a bodyless request).
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inReadBatch = false;
        if (current != null) {
            current.onClientReadComplete();
        } else if (!closing && pending.isEmpty()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) {
            current.onClientWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Called by the exchange once its response is fully written (or it gave up). */
    void exchangeDone(ProxyExchange exchange, boolean closeClient) {
        if (exchange != current) {
            return;
        }
        current = null;
        if (closing) {
            return;
        }
        if (timeouts != null) {
            timeouts.exchangeComplete();
        }
        if (closeClient || draining()) {
            closing = true;
            releasePending();
            if (!closeClient) {
                // Close only after the response already queued has gone out.
                ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        if (dispatching) {
            return;
        }
        dispatching = true;
        try {
            Object msg;
            while (!closing && (current == null || !current.requestReceived()) && (msg = pending.poll()) != null) {
                dispatch(msg);
            }
        } finally {
            dispatching = false;
        }
        if (current == null && !closing) {
            ctx.read();
        } else if (current != null) {
            // Dispatching from the queue wrote without flushing, as a socket read would have.
            current.onClientReadComplete();
        }
    }

    /**
     * The exchange's server switched protocols: this connection is a tunnel's from now on, and this handler leaves
     * the pipeline. Anything already read after the request is not HTTP and is dropped; a client waits for the
     * {@code 101} before it sends in the new protocol.
     */
    void upgraded(ProxyExchange exchange) {
        if (exchange != current) {
            return;
        }
        current = null;
        closing = true;
        releasePending();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ProxyEvents.DRAIN) {
            draining = true;
            if (current == null) {
                closing = true;
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        if (current != null) {
            ProxyExchange ex = current;
            current = null;
            ex.onClientClosed();
        }
        releasePending();
        if (!stream) {
            proxy.metrics().clientConnectionClosed(listener.name());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes are the client's business; anything else still ends only this connection.
        if (!(cause instanceof IOException)) {
            LOG.error("unexpected error on a client connection; closing it", cause);
        }
        ctx.close();
    }

    private void releasePending() {
        Object msg;
        while ((msg = pending.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
