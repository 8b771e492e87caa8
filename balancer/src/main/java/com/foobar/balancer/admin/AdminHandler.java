package com.foobar.balancer.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.upstream.UpstreamPool;
import com.foobar.balancer.upstream.UpstreamServer;
import com.foobar.balancer.upstream.Upstreams;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The admin endpoints. Requests are small and few (a scraper, a dashboard, an operator), so they are aggregated and
 * answered whole; the work is reading counters, cheap enough for the event loop.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String POOLS_PREFIX = "/api/pools/";

    private final Upstreams upstreams;
    private final BalancerMetrics metrics;
    private final byte[] dashboard;

    AdminHandler(Upstreams upstreams, BalancerMetrics metrics, byte[] dashboard) {
        this.upstreams = upstreams;
        this.metrics = metrics;
        this.dashboard = dashboard;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            send(ctx, req, HttpResponseStatus.BAD_REQUEST, TEXT, "bad request: " + req.decoderResult().cause().getMessage());
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        HttpMethod method = req.method();
        switch (path) {
            case "/metrics" -> {
                if (allow(ctx, req, HttpMethod.GET)) {
                    send(ctx, req, HttpResponseStatus.OK, BalancerMetrics.CONTENT_TYPE, metrics.scrape());
                }
            }
            case "/api/status" -> {
                if (allow(ctx, req, HttpMethod.GET)) {
                    sendJson(ctx, req, HttpResponseStatus.OK, StatusJson.status(upstreams, metrics));
                }
            }
            case "/api/events" -> {
                if (allow(ctx, req, HttpMethod.GET)) {
                    events(ctx, req);
                }
            }
            case "/", "/index.html" -> {
                if (allow(ctx, req, HttpMethod.GET)) {
                    send(ctx, req, HttpResponseStatus.OK, HTML, dashboard);
                }
            }
            default -> {
                if (path.startsWith(POOLS_PREFIX)) {
                    serverAction(ctx, req, path, method);
                } else {
                    send(ctx, req, HttpResponseStatus.NOT_FOUND, TEXT, "not found: " + path + " (try /, /metrics,"
                            + " /api/status, /api/events?after=N, POST /api/pools/{pool}/servers/{server}/drain|enable)");
                }
            }
        }
    }

    /** {@code /api/events}, or {@code /api/events?after=N} for those numbered above N. */
    private void events(ChannelHandlerContext ctx, FullHttpRequest req) {
        List<String> after = new QueryStringDecoder(req.uri()).parameters().getOrDefault("after", List.of("0"));
        long seq;
        try {
            seq = Long.parseLong(after.get(after.size() - 1));
        } catch (NumberFormatException e) {
            seq = -1;
        }
        if (seq < 0) {
            send(ctx, req, HttpResponseStatus.BAD_REQUEST, TEXT, "bad request: after=" + after.get(after.size() - 1)
                    + " is not an event number (0 or more)");
            return;
        }
        sendJson(ctx, req, HttpResponseStatus.OK, StatusJson.events(upstreams.events(), seq));
    }

    /** {@code /api/pools/{pool}/servers/{server}/(drain|enable)}. */
    private void serverAction(ChannelHandlerContext ctx, FullHttpRequest req, String path, HttpMethod method) {
        String[] parts = path.substring(POOLS_PREFIX.length()).split("/", -1);
        if (parts.length != 4 || !parts[1].equals("servers") || !(parts[3].equals("drain") || parts[3].equals("enable"))) {
            send(ctx, req, HttpResponseStatus.NOT_FOUND, TEXT,
                    "not found: " + path + " (expected /api/pools/{pool}/servers/{server}/drain or /enable)");
            return;
        }
        if (!allow(ctx, req, HttpMethod.POST)) {
            return;
        }
        String poolName = QueryStringDecoder.decodeComponent(parts[0]);
        String serverName = QueryStringDecoder.decodeComponent(parts[2]);
        UpstreamPool pool = upstreams.pool(poolName);
        if (pool == null) {
            send(ctx, req, HttpResponseStatus.NOT_FOUND, TEXT, "no such pool: " + poolName);
            return;
        }
        UpstreamServer server = pool.server(serverName);
        if (server == null) {
            send(ctx, req, HttpResponseStatus.NOT_FOUND, TEXT, "no such server in pool " + poolName + ": " + serverName);
            return;
        }
        if (parts[3].equals("drain")) {
            server.drain();
        } else {
            server.enable();
        }
        sendJson(ctx, req, HttpResponseStatus.OK, StatusJson.server(server));
    }

    private boolean allow(ChannelHandlerContext ctx, FullHttpRequest req, HttpMethod allowed) {
        if (req.method().equals(allowed)) {
            return true;
        }
        FullHttpResponse res = response(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT,
                ("method " + req.method() + " not allowed here; use " + allowed + "\n").getBytes(StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.ALLOW, allowed.name());
        write(ctx, req, res);
        return false;
    }

    private void sendJson(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, Object body) {
        byte[] bytes;
        try {
            bytes = StatusJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            send(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT, "cannot write JSON: " + e.getOriginalMessage());
            return;
        }
        send(ctx, req, status, JSON, bytes);
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type, String body) {
        String text = type.startsWith("text/plain") && status.code() >= 400 ? body + "\n" : body;
        send(ctx, req, status, type, text.getBytes(StandardCharsets.UTF_8));
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type, byte[] body) {
        write(ctx, req, response(status, type, body));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String type, byte[] body) {
        FullHttpResponse res = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return res;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
        boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
        if (req.method().equals(HttpMethod.HEAD)) {
            res.content().clear();
        }
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
