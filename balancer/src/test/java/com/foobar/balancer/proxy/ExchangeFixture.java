package com.foobar.balancer.proxy;

import com.foobar.balancer.accesslog.AccessLog;
import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.ClientTimeouts;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.config.KeepAliveConfig;
import com.foobar.balancer.config.PoolConfig;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.transport.Transport;
import com.foobar.balancer.upstream.FailureKind;
import com.foobar.balancer.upstream.UpstreamServer;
import com.foobar.balancer.upstream.Upstreams;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exchange with no sockets: the client connection and every upstream connection are {@link EmbeddedChannel}s on
 * one hand-moved clock, and the connector hands out upstream connections only when the test says so. Messages go in
 * and come out as decoded HTTP objects (no codecs), so a test sees exactly what the exchange wrote, in order.
 */
final class ExchangeFixture implements AutoCloseable {

    static final String HOST = "www.foobar.com";

    final MockTicker ticker = Ticker.newMockTicker();
    final BalancerMetrics metrics = new BalancerMetrics();
    final Upstreams upstreams;
    final Connector connector = new Connector();
    final ProxyContext proxy;
    final ListenerState listener;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    /** Two servers, web-1 and web-2, in pool {@code web}, which takes {@link #HOST}; {@code poolExtras} adds keys. */
    ExchangeFixture(String poolExtras) throws Exception {
        BalancerConfig cfg = ConfigLoader.parse("""
                listeners: [{ name: public, bind: 127.0.0.1:0, routes: [{ hosts: [%s], pool: web }] }]
                admin: { bind: 127.0.0.1:0 }
                pools:
                  web:
                %s    servers:
                      - { name: web-1, address: 127.0.0.1:9001 }
                      - { name: web-2, address: 127.0.0.1:9002 }
                """.formatted(HOST, poolExtras.isEmpty() ? "" : poolExtras.indent(4)));
        upstreams = Upstreams.start(cfg, metrics, null);
        proxy = new ProxyContext(upstreams, metrics, AccessLog.OFF, Transport.named("nio"), ClientTimeouts.DEFAULT,
                connector);
        listener = new ListenerState(cfg.listeners().get(0), new DefaultChannelGroup(GlobalEventExecutor.INSTANCE));
        listener.port(8080);
    }

    UpstreamServer server(String name) {
        return upstreams.pool("web").servers().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** A client connection with the proxy's handler, active. */
    EmbeddedChannel client() {
        EmbeddedChannel ch = new ClientChannel(EmbeddedChannel.builder().ticker(ticker)
                .handlers(new FrontendHandler(proxy, listener)));
        channels.add(ch);
        return ch;
    }

    /** The exchange the connector was last asked to connect for. */
    ProxyExchange exchange() {
        return (ProxyExchange) connector.last().events();
    }

    /** Completes the oldest pending connect with a new upstream connection; returns it. */
    EmbeddedChannel connect() {
        Connector.Request r = connector.requests.poll();
        assertThat(r).as("a pending connect").isNotNull();
        EmbeddedChannel ch = upstream(r.server());
        r.events().connected(r.server(), ch.pipeline().get(BackendHandler.class));
        return ch;
    }

    /** Fails the oldest pending connect. */
    void failConnect(FailureKind kind) {
        Connector.Request r = connector.requests.poll();
        assertThat(r).as("a pending connect").isNotNull();
        r.events().connectFailed(r.server(), kind, kind == FailureKind.CONNECT_TIMEOUT ? "connect timed out after 1s"
                : "connect failed (connection refused)");
    }

    EmbeddedChannel upstream(UpstreamServer server) {
        EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker)
                .handlers(new BackendHandler(new BackendConnectionPools(), server, server.socketAddress())).build();
        channels.add(ch);
        return ch;
    }

    /** Moves the shared clock and runs what came due on every channel's loop. */
    void advance(Duration d) {
        ticker.advance(d.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        for (EmbeddedChannel ch : channels) {
            ch.runScheduledPendingTasks();
        }
    }

    // ---- messages ------------------------------------------------------------------------------------------------

    static HttpRequest get(String path) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        r.headers().set("host", HOST);
        return r;
    }

    static HttpRequest post(String path, int contentLength) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path);
        r.headers().set("host", HOST).set("content-length", contentLength);
        return r;
    }

    static HttpRequest put(String path, int contentLength) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, path);
        r.headers().set("host", HOST).set("content-length", contentLength);
        return r;
    }

    static HttpContent content(String s) {
        return new io.netty.handler.codec.http.DefaultHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    static LastHttpContent last(String s) {
        return new DefaultLastHttpContent(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    static HttpResponse response(int status, int contentLength) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        r.headers().set("content-length", contentLength);
        return r;
    }

    /** Everything written to {@code ch} so far, each released after its description is taken. */
    static List<String> written(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        Object m;
        while ((m = ch.readOutbound()) != null) {
            out.add(describe(m));
            ReferenceCountUtil.release(m);
        }
        return out;
    }

    /** {@code GET /x}, {@code 200}, {@code body:ok}, {@code end:}: short names for what went over a connection. */
    static String describe(Object m) {
        StringBuilder sb = new StringBuilder();
        if (m instanceof HttpRequest r) {
            sb.append(r.method()).append(' ').append(r.uri());
        } else if (m instanceof HttpResponse r) {
            sb.append(r.status().code());
        }
        if (m instanceof HttpContent c) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(m instanceof LastHttpContent ? "end:" : "body:").append(c.content().toString(StandardCharsets.UTF_8));
        }
        if (sb.isEmpty() && !(m instanceof HttpObject)) {
            sb.append(m);
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
        upstreams.close();
    }

    /** A client connection from 127.0.0.1, as the frontend handler expects an IP peer. */
    private static final class ClientChannel extends EmbeddedChannel {
        ClientChannel(EmbeddedChannel.Builder b) {
            super(b);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }
    }

    /** Hands out nothing by itself: a connect waits until the test completes or fails it. */
    static final class Connector implements UpstreamConnector {
        record Request(UpstreamServer server, UpstreamEvents events) {
        }

        final ArrayDeque<Request> requests = new ArrayDeque<>();
        final List<Request> all = new ArrayList<>();
        final ArrayDeque<BackendHandler> idle = new ArrayDeque<>();
        final List<BackendHandler> released = new ArrayList<>();

        @Override
        public BackendHandler acquire(EventLoop loop, UpstreamServer server, long nowNanos) {
            BackendHandler h = idle.peek();
            return h != null && h.server() == server ? idle.poll() : null;
        }

        @Override
        public void connect(EventLoop loop, UpstreamServer server, PoolConfig pool, UpstreamEvents events) {
            Request r = new Request(server, events);
            requests.add(r);
            all.add(r);
        }

        @Override
        public void release(BackendHandler connection, KeepAliveConfig keepAlive, long nowNanos) {
            released.add(connection);
        }

        Request last() {
            return all.get(all.size() - 1);
        }

        List<String> servers() {
            return all.stream().map(r -> r.server().name()).toList();
        }
    }
}
