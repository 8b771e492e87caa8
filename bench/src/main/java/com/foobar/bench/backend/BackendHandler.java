package com.foobar.bench.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.Map;

/**
 * Answers one request at a time on a connection. Bodies that come in are counted and dropped as they arrive, never
 * aggregated. Writes are flushed once per read batch, so pipelined requests share one syscall.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    static final String BYTES_PREFIX = "/bytes/";
    static final String ECHO_PATH = "/echo";
    static final AsciiString X_BACKEND = AsciiString.cached("x-backend");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");

    private final BodyCache bodies;
    private final AsciiString backendName;
    private final int defaultBodyBytes;

    private HttpRequest request;
    private long received;

    BackendHandler(BackendOptions options, BodyCache bodies) {
        this.bodies = bodies;
        this.backendName = AsciiString.of(options.name());
        this.defaultBodyBytes = options.defaultBodyBytes();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest) {
                request = (HttpRequest) msg;
                received = 0;
                if (request.decoderResult().isFailure()) {
                    request = null;
                    sendError(ctx, HttpResponseStatus.BAD_REQUEST, "malformed request", true);
                    return;
                }
            }
            if (msg instanceof HttpContent && request != null) {
                received += ((HttpContent) msg).content().readableBytes();
                if (msg instanceof LastHttpContent) {
                    HttpRequest done = request;
                    request = null;
                    respond(ctx, done, received);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A peer that resets mid-stream is normal under load; the connection is simply dropped.
        ctx.close();
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest req, long bodyBytes) {
        HttpMethod method = req.method();
        String uri = req.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        if (HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method)) {
            sendText(ctx, HttpResponseStatus.OK, "received " + bodyBytes + " bytes\n");
        } else if (!HttpMethod.GET.equals(method)) {
            sendError(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not supported here", false);
        } else if (ECHO_PATH.equals(path)) {
            sendText(ctx, HttpResponseStatus.OK, echo(req));
        } else if (path.startsWith(BYTES_PREFIX)) {
            long size = parseSize(path.substring(BYTES_PREFIX.length()));
            if (size < 0) {
                sendError(ctx, HttpResponseStatus.BAD_REQUEST,
                        "\"" + path.substring(BYTES_PREFIX.length()) + "\" is not a byte count", false);
            } else {
                sendBytes(ctx, size);
            }
        } else {
            sendBytes(ctx, defaultBodyBytes);
        }
    }

    private void sendBytes(ChannelHandlerContext ctx, long size) {
        if (size <= BodyCache.MAX_CACHED_BYTES) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    bodies.body((int) size));
            decorate(response, size);
            ctx.write(response, ctx.voidPromise());
        } else {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            decorate(head, size);
            ctx.write(head, ctx.voidPromise());
            ctx.write(new HttpChunkedInput(new RepeatingChunkedInput(bodies, size)));
        }
    }

    private void sendText(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), text);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        decorate(response, body.readableBytes());
        ctx.write(response, ctx.voidPromise());
    }

    private void sendError(ChannelHandlerContext ctx, HttpResponseStatus status, String reason, boolean close) {
        ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), reason + "\n");
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        decorate(response, body.readableBytes());
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.write(response, ctx.voidPromise());
        }
    }

    private void decorate(HttpResponse response, long contentLength) {
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN)
                .set(X_BACKEND, backendName);
        HttpUtil.setContentLength(response, contentLength);
    }

    private static String echo(HttpRequest req) {
        StringBuilder text = new StringBuilder(256)
                .append(req.method()).append(' ').append(req.uri()).append(' ').append(req.protocolVersion())
                .append('\n');
        for (Map.Entry<String, String> header : req.headers()) {
            text.append(header.getKey()).append(": ").append(header.getValue()).append('\n');
        }
        return text.toString();
    }

    /** The byte count in a path segment, or -1 when it is not a non-negative decimal number. */
    static long parseSize(String text) {
        if (text.isEmpty() || text.length() > 15) {
            return -1;
        }
        long size = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            size = size * 10 + (c - '0');
        }
        return size;
    }
}
