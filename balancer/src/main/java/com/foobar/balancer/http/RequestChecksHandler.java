package com.foobar.balancer.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.List;

/**
 * Runs a listener's {@link HeadCheck}s on each decoded request head, in order, as one handler: every message passes
 * one guard however many checks a listener has. The first check that refuses answers (status, one line, close);
 * decoder failures pass through untouched, the proxy answers those. On an HTTP/1.1 connection it re-arms the
 * obs-fold detector in front of the codec once a request has been read to its end.
 */
final class RequestChecksHandler extends RequestRefusingHandler {

    private final HeadCheck[] checks;
    private final ObsFoldDetector folds;

    /** @param folds the connection's obs-fold detector; null on an HTTP/2 stream, which has none */
    RequestChecksHandler(RejectionListener rejections, List<HeadCheck> checks, ObsFoldDetector folds) {
        super(rejections);
        this.checks = checks.toArray(new HeadCheck[0]);
        this.folds = folds;
    }

    @Override
    void judge(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest head && !head.decoderResult().isFailure()) {
            for (HeadCheck check : checks) {
                HeadCheck.Refusal refusal = check.check(head);
                if (refusal != null) {
                    refuse(ctx, msg, refusal.status(), refusal.reason());
                    return;
                }
            }
        }
        if (msg instanceof LastHttpContent && folds != null) {
            folds.expectHeaders();
        }
        ctx.fireChannelRead(msg);
    }
}
