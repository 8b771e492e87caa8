package com.foobar.balancer.proxy;

import com.foobar.balancer.config.ProxyHeadersConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The server's response on its way to the client, piece by piece: interim responses (1xx) passed on as they are (but
 * for 100, which the balancer answers itself, and none to an HTTP/1.0 client), the head made fit
 * for the client by {@link HeaderRewriter#toClient}, the body passed on unflushed (the end of the upstream read
 * flushes), and what the exchange needs of it afterwards: the status, the bytes, and the framing it leaves the two
 * connections in. A piece no client may get (an invalid head, an unasked {@code 101}, a broken body) is released and
 * reported instead. It decides nothing about the exchange: {@link ProxyExchange} acts on each {@link Step}.
 */
final class ResponseRelay {

    /** What became of one piece from the server. */
    enum Step {
        /** Part of an interim response: passed on, or dropped. Nothing of the final response yet. */
        SKIPPED,
        /** Written to the client: the head, or a piece of the body. */
        RELAYED,
        /** The response's last piece, not written: the exchange ends with it. */
        LAST,
        /**
         * The server agreed to the switch the request asked for: its {@code 101} is written, and from here both
         * connections carry bytes the balancer splices, not HTTP.
         */
        UPGRADED,
        /** The head cannot go to the client ({@link #problem()} says why); nothing of it did. */
        INVALID,
        /** The body broke off ({@link #problem()} says why). */
        BROKEN
    }

    private final ChannelHandlerContext client;
    private final RequestHead request;
    private boolean skippingInterim;
    private boolean started;
    private int status;
    /** The server's 503 carried Retry-After: it says it cannot serve now, which is not a failure of the server. */
    private boolean declaredUnavailable;
    private long bytes;
    private ResponseFraming framing;
    private String problem;

    ResponseRelay(ChannelHandlerContext client, RequestHead request) {
        this.client = client;
        this.request = request;
    }

    /**
     * Passes one decoded piece on (or drops or refuses it).
     *
     * @param closeClient the client connection closes after this response whatever the response says; read only for
     *                    the head
     */
    Step relay(Object msg, ProxyHeadersConfig headers, String requestId, boolean closeClient) {
        if (msg instanceof HttpResponse r) {
            if (r.decoderResult().isFailure()) {
                return refuse(msg, Step.INVALID, "sent an invalid response ("
                        + Refusal.oneLine(r.decoderResult().cause().getMessage()) + ")");
            }
            int code = r.status().code();
            if (code == 101) {
                if (request.upgrade() == null) {
                    return refuse(msg, Step.INVALID, "switched protocols unasked");
                }
                started = true;
                status = code;
                HeaderRewriter.switchToClient(r, headers, requestId);
                // The head alone: the empty end the codec decodes after it goes to the tunnel, which drops it.
                client.write(r, client.voidPromise());
                return Step.UPGRADED;
            }
            if (code < 200) {
                skippingInterim = true;
                if (passesOn(code)) {
                    client.write(interim(r), client.voidPromise());
                }
            } else {
                started = true;
                status = code;
                declaredUnavailable = code == 503 && r.headers().contains(HttpHeaderNames.RETRY_AFTER);
                framing = HeaderRewriter.toClient(r, request, headers, requestId, closeClient);
                if (!(msg instanceof LastHttpContent)) {
                    client.write(r, client.voidPromise());
                    return Step.RELAYED;
                }
            }
        }
        if (!(msg instanceof HttpContent c)) {
            ReferenceCountUtil.release(msg);
            return Step.SKIPPED;
        }
        if (skippingInterim) {
            skippingInterim = !(c instanceof LastHttpContent);
            c.release();
            return Step.SKIPPED;
        }
        if (c.decoderResult().isFailure()) {
            return refuse(c, Step.BROKEN, "broke off the response ("
                    + Refusal.oneLine(c.decoderResult().cause().getMessage()) + ")");
        }
        bytes += c.content().readableBytes();
        if (c instanceof LastHttpContent) {
            return Step.LAST;
        }
        client.write(c, client.voidPromise());
        return Step.RELAYED;
    }

    /**
     * Whether the client gets this interim response. 103 Early Hints lets a browser fetch what the page needs while
     * the server still works on it, 102 says a long request goes on. 100 Continue is the balancer's own business (it
     * answers {@code Expect} itself), and an HTTP/1.0 client must get no 1xx at all (RFC 9110, 15.2).
     */
    private boolean passesOn(int code) {
        return code != 100 && !request.http10();
    }

    /** The interim response as a message of its own (HTTP/2's codec needs it whole): its headers, hop-by-hop gone. */
    private static FullHttpResponse interim(HttpResponse r) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), Unpooled.EMPTY_BUFFER);
        out.headers().set(r.headers());
        HeaderRewriter.removeHopByHop(out);
        out.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        return out;
    }

    private Step refuse(Object msg, Step step, String why) {
        ReferenceCountUtil.release(msg);
        problem = why;
        return step;
    }

    /** Whether the response's head went to the client: from then on nothing can be retried or answered instead. */
    boolean started() {
        return started;
    }

    int status() {
        return status;
    }

    boolean declaredUnavailable() {
        return declaredUnavailable;
    }

    /** Body bytes relayed so far (the last piece's included). */
    long bytes() {
        return bytes;
    }

    /** What the response's framing leaves of both connections; null before the head. */
    ResponseFraming framing() {
        return framing;
    }

    /** One line on why the last piece was refused. */
    String problem() {
        return problem;
    }
}
