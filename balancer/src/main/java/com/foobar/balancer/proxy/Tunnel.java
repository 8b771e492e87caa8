package com.foobar.balancer.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelFutureListener;

/**
 * A connection whose request switched protocols (a WebSocket), after the server's {@code 101}: the client's and the
 * server's connections spliced as bytes, each read only as fast as the other side takes them (the HexDumpProxy idiom,
 * both ways). A side that half-closes (sends FIN, still reads) has its half-close passed to the other; it ends for
 * both at once when both have half-closed, when either side closes or fails, after {@code client_timeouts.tunnel} with
 * nothing passing either way (HAProxy's {@code timeout tunnel}), and when the listener drains. Both connections run
 * on the client's event loop, as every exchange does.
 */
final class Tunnel {
    private final ProxyContext proxy;
    private final String listener;
    private final Channel client;
    private final Channel server;
    private boolean closed;

    private Tunnel(ProxyContext proxy, String listener, Channel client, Channel server) {
        this.proxy = proxy;
        this.listener = listener;
        this.client = client;
        this.server = server;
    }

    /**
     * Turns both pipelines into the tunnel's (the HTTP handlers leave; what they had read beyond the handshake goes
     * on as bytes) and starts reading both ways. The {@code 101} is already written to the client.
     */
    static void open(ProxyContext proxy, ListenerState listener, Channel client, Channel server) {
        Tunnel t = new Tunnel(proxy, listener.name(), client, server);
        proxy.metrics().tunnelOpened(t.listener);
        ProxyInitializer.toTunnel(client.pipeline(), new TunnelHandler(t, server), proxy.clientTimeouts().tunnel());
        BackendInitializer.toTunnel(server.pipeline(), new TunnelHandler(t, client));
        // A side that is done sending (FIN) may still be listening: its half-close is passed on, not taken for a
        // close of both (TunnelHandler), as a TCP proxy does. HTTP itself stays without it, before the upgrade.
        client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        server.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        client.flush();
        if (!client.isActive() || !server.isActive()) {
            t.close();
            return;
        }
        client.read();
        server.read();
    }

    /** Ends the tunnel for both sides, after what each was already given has been written. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        proxy.metrics().tunnelClosed(listener);
        // The client connection was counted open by the frontend, which has left its pipeline.
        proxy.metrics().clientConnectionClosed(listener);
        closeAfterFlush(client);
        closeAfterFlush(server);
    }

    private static void closeAfterFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ch.close();
        }
    }
}
