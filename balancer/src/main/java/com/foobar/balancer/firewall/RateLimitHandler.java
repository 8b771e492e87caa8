package com.foobar.balancer.firewall;

import com.foobar.balancer.accesslog.AccessLog;
import com.foobar.balancer.accesslog.AccessLogEntry;
import com.foobar.balancer.http.ErrorReplies;
import com.foobar.balancer.metrics.BalancerMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * The listener's token bucket per client address, checked per request: over the limit the request never reaches the
 * proxy and the client gets 429 with {@code Retry-After} (whole seconds until a token is due, at least 1). The
 * connection closes after that answer, so nothing pipelined behind it is read.
 */
final class RateLimitHandler extends ChannelInboundHandlerAdapter {

    private final TokenBuckets buckets;
    private final BalancerMetrics metrics;
    private final AccessLog log;
    private final String listener;
    private boolean refusing;

    RateLimitHandler(TokenBuckets buckets, BalancerMetrics metrics, AccessLog log, String listener) {
        this.buckets = buckets;
        this.metrics = metrics;
        this.log = log;
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refusing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
            InetAddress client = ConnectionRefusingHandler.client(ctx);
            long waitNanos = client == null ? 0 : buckets.tryTake(client);
            if (waitNanos > 0) {
                refusing = true;
                metrics.rateLimited(listener);
                long seconds = Math.max(1, (waitNanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
                FullHttpResponse r = ErrorReplies.response(HttpResponseStatus.TOO_MANY_REQUESTS,
                        "rate limit exceeded for " + client.getHostAddress() + "; retry in " + seconds + " s");
                r.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds));
                if (log.enabled()) {
                    log.log(AccessLogEntry.answeredByBalancer(ctx.channel(), listener, req.method().name(), req.uri(),
                            HttpResponseStatus.TOO_MANY_REQUESTS.code(), r.content().readableBytes()));
                }
                ReferenceCountUtil.release(msg); // after the log line took the method and target from it
                ErrorReplies.sendAndClose(ctx, r);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
