package com.foobar.balancer.proxy;

import com.foobar.balancer.accesslog.AccessLog;
import com.foobar.balancer.accesslog.AccessLogEntry;
import com.foobar.balancer.config.Durations;
import com.foobar.balancer.config.ProxyHeadersConfig;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.upstream.FailureKind;
import com.foobar.balancer.upstream.UpstreamPool;
import com.foobar.balancer.upstream.UpstreamServer;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Ticker;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * One request from head to the end of its response, including its retries: a state machine in {@link Phase}s, on the
 * client's event loop, as is every upstream connection it uses. What the request says is {@link RequestHead}'s, the
 * header edits {@link HeaderRewriter}'s, the body's buffering {@link RequestBody}'s and whether a failed attempt is
 * tried again {@link RetryPolicy}'s; this class sequences them, and every way it can end goes through {@link #end}.
 */
final class ProxyExchange implements UpstreamEvents, ChannelFutureListener {

    /** Where an exchange stands. Phases only move forward, except a retry, which goes back to connecting. */
    enum Phase {
        /** The head is read and routed; no server yet. */
        ROUTING,
        /** A server is chosen; its connection is being made. */
        CONNECTING,
        /** Bound to an upstream connection: the request goes out, the response head has not come. */
        FORWARDING,
        /** The response head went to the client; its body streams. Nothing can be retried now. */
        RESPONDING,
        /** Over: every later event is ignored, everything it held is released. */
        DONE
    }

    /** How much of the request the current attempt's connection took. */
    private enum Sent { NOTHING, HEAD, ALL }

    /** How an exchange ends; the steps are the same for all, in the same order ({@link #end}). */
    private enum Ending {
        /** The server's response went out whole. */
        RESPONDED,
        /** The balancer answered in the server's stead. */
        ANSWERED,
        /** Part of a response is out and the rest cannot come: the client connection is closed. */
        CUT_OFF,
        /** The client went away. */
        CLIENT_GONE
    }

    private final FrontendHandler frontend;
    private final ChannelHandlerContext client;
    private final ProxyContext proxy;
    private final RequestHead head;
    private final RequestBody body = new RequestBody();
    private final Ticker ticker;
    private final long startNanos;
    private final long startMillis = System.currentTimeMillis();

    private Phase phase = Phase.ROUTING;
    private String requestId = BalancerMetrics.NONE;
    private ProxyHeadersConfig headers = ProxyHeadersConfig.DEFAULT;
    private boolean continuePending;
    private String poolName = BalancerMetrics.NONE;
    private UpstreamPool pool;
    private RetryPolicy retries;
    private long responseTimeoutNanos;

    private Set<UpstreamServer> tried = Collections.emptySet();
    private int attempts;
    private UpstreamServer server;
    /** The server has been told the attempt started and not yet how it ended. */
    private boolean attemptOpen;
    private long attemptStart;
    private BackendHandler backend;
    private Sent sent = Sent.NOTHING;
    private Refusal lastFailure;

    private ResponseFraming framing;
    private boolean skipInterim;
    private int status;
    /** The server's 503 carried Retry-After: it says it cannot serve now, which is not a failure of the server. */
    private boolean declaredUnavailable;
    private long responseBytes;
    private long upstreamNanos = -1;
    private long lastActivity;

    ProxyExchange(FrontendHandler frontend, ChannelHandlerContext client, HttpRequest request, Ticker ticker) {
        this.frontend = frontend;
        this.client = client;
        this.proxy = frontend.proxy();
        this.ticker = ticker;
        this.startNanos = ticker.nanoTime();
        this.head = new RequestHead(request, frontend.clientAddress());
    }

    Phase phase() {
        return phase;
    }

    boolean requestReceived() {
        return body.received();
    }

    // ---- routing ---------------------------------------------------------------------------------------------------

    void start() {
        frontend.requestHeadReceived();
        Refusal refusal = head.refusal();
        if (refusal == null) {
            refusal = route();
        }
        if (refusal != null) {
            answer(refusal);
            return;
        }
        requestId = HeaderRewriter.toUpstream(head, headers, frontend.clientIp(), frontend.scheme(),
                frontend.listener().port());
        retries = RetryPolicy.allowing(pool.config().retries());
        responseTimeoutNanos = pool.config().responseTimeout().toNanos();
        attempt();
    }

    /** Picks the pool; null when the request can go on to a server, else the answer it gets instead. */
    private Refusal route() {
        Router router = frontend.listener().router();
        String name = router.route(head.host(), head.path());
        if (name == null) {
            return router.refusal(head.host(), head.path());
        }
        poolName = name;
        pool = proxy.upstreams().pool(name);
        if (pool == null) {
            return Refusal.keepingAlive(HttpResponseStatus.SERVICE_UNAVAILABLE, "pool " + name + " is not configured");
        }
        RequestHead.Expectation expectation = head.expectation();
        if (expectation == RequestHead.Expectation.UNSUPPORTED) {
            return Refusal.closing(HttpResponseStatus.EXPECTATION_FAILED,
                    "unsupported expectation \"" + Refusal.abbreviate(head.expectHeader()) + "\"");
        }
        // The balancer answers 100 itself once a server is connected; the server sees a plain request.
        continuePending = expectation == RequestHead.Expectation.CONTINUE;
        headers = pool.config().proxyHeaders();
        return null;
    }

    // ---- attempts --------------------------------------------------------------------------------------------------

    private void attempt() {
        UpstreamServer s = pool.select(head, tried);
        if (s == null) {
            if (attempts == 0) {
                proxy.metrics().noServer(frontend.listener().name(), poolName);
                answer(Refusal.keepingAlive(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "no usable server in pool " + poolName));
            } else {
                answer(lastFailure);
            }
            return;
        }
        attempts++;
        server = s;
        sent = Sent.NOTHING;
        phase = Phase.CONNECTING;
        // One clock read serves the attempt's start, the pool's idle check and the response timer.
        long now = ticker.nanoTime();
        attemptStart = now;
        attemptOpen = true;
        s.requestStarted();
        BackendHandler pooled = proxy.connector().acquire(client.channel().eventLoop(), s, now);
        if (pooled != null) {
            bind(pooled, now);
        } else {
            proxy.connector().connect(client.channel().eventLoop(), s, pool.config(), this);
        }
    }

    @Override
    public boolean connected(UpstreamServer s, BackendHandler connection) {
        if (phase != Phase.CONNECTING || s != server) {
            return false;
        }
        bind(connection, ticker.nanoTime());
        return true;
    }

    @Override
    public void connectFailed(UpstreamServer s, FailureKind kind, String reason) {
        if (phase == Phase.CONNECTING && s == server) {
            attemptFailed(kind, reason);
        }
    }

    private void bind(BackendHandler h, long nowNanos) {
        backend = h;
        phase = Phase.FORWARDING;
        h.attach(this);
        Channel ch = h.channel();
        if (head.declaredBodyless()) {
            // Head and end go out in one flush: the end's promise tells for both, and a failed head write reaches
            // BackendHandler.exceptionCaught through the void promise. One promise per request instead of two.
            ch.write(head.request(), ch.voidPromise());
        } else {
            // With a body the head's own success matters: it decides whether a failed upload may be retried.
            ch.write(head.request()).addListener((ChannelFutureListener) f -> headWritten(h, f));
        }
        if (backend != h) {
            return;
        }
        body.sendPending(ch, this);
        if (!frontend.inReadBatch()) {
            // Otherwise the client's read-complete flushes, once, with the rest of the request.
            ch.flush();
        }
        if (backend != h) {
            return;
        }
        if (continuePending && !body.received()) {
            continuePending = false;
            client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER), client.voidPromise());
        }
        if (!body.received() && ch.isWritable()) {
            client.read();
        }
        ch.read();
        lastActivity = nowNanos;
        if (responseTimeoutNanos > 0) {
            h.watch(responseTimeoutNanos);
        }
    }

    private void headWritten(BackendHandler h, ChannelFuture f) {
        if (!f.isSuccess()) {
            upstreamFailed(h, FailureKind.CONNECTION_RESET, "write failed ("
                    + UpstreamConnections.describe(f.cause()) + ")");
        } else if (backend == h && sent == Sent.NOTHING) {
            sent = Sent.HEAD;
        }
    }

    /** The end of the request reached the socket (the listener of the last write). */
    @Override
    public void operationComplete(ChannelFuture f) {
        if (f.isSuccess() && backend != null && backend.channel() == f.channel()) {
            sent = Sent.ALL;
        }
    }

    @Override
    public void upstreamFailed(BackendHandler h, FailureKind kind, String reason) {
        if (phase == Phase.DONE || h != backend) {
            return; // a connection this exchange no longer uses
        }
        backend = null;
        h.detach();
        h.channel().close();
        attemptFailed(kind, reason);
    }

    private void attemptFailed(FailureKind kind, String reason) {
        long now = ticker.nanoTime();
        attemptOpen = false;
        server.requestFailed(kind, now - attemptStart);
        if (phase == Phase.RESPONDING) {
            end(Ending.CUT_OFF, null, true, 0, now);
            return;
        }
        if (tried.isEmpty()) {
            tried = new HashSet<>(4);
        }
        tried.add(server);
        lastFailure = Refusal.keepingAlive(RetryPolicy.statusFor(kind),
                "server " + server.name() + " (" + server.address() + ") " + reason);
        RetryPolicy.Verdict verdict = retries.decide(attempts, kind, head.idempotent(), sent != Sent.NOTHING,
                body.intact());
        if (verdict == RetryPolicy.Verdict.RETRY) {
            proxy.metrics().retried(poolName, server.name(), kind);
            attempt();
        } else {
            answer(lastFailure);
        }
    }

    // ---- request body ----------------------------------------------------------------------------------------------

    void onClientContent(Object msg) {
        if (phase == Phase.DONE || !(msg instanceof HttpContent c)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (c.decoderResult().isFailure()) {
            String why = Refusal.oneLine(c.decoderResult().cause().getMessage());
            c.release();
            body.markReceived();
            answer(Refusal.closing(HttpResponseStatus.BAD_REQUEST, "malformed request body: " + why));
            return;
        }
        lastActivity = ticker.nanoTime();
        body.receive(c);
        if (backend != null) {
            body.send(backend.channel(), c, this);
        } else {
            body.queue(c);
        }
    }

    void onClientReadComplete() {
        if (phase == Phase.DONE || backend == null) {
            return;
        }
        Channel ch = backend.channel();
        ch.flush();
        if (!body.received() && ch.isWritable()) {
            client.read();
        }
    }

    @Override
    public void upstreamWritable(BackendHandler h) {
        if (h == backend && !body.received() && h.channel().isWritable()) {
            client.read();
        }
    }

    // ---- response --------------------------------------------------------------------------------------------------

    @Override
    public void upstreamMessage(BackendHandler h, Object msg) {
        if (h != backend || phase == Phase.DONE) {
            ReferenceCountUtil.release(msg);
            return;
        }
        // The one clock read for this message: the response head's latency and the exchange's end use it too.
        lastActivity = ticker.nanoTime();
        if (msg instanceof HttpResponse r) {
            if (r.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                upstreamFailed(h, FailureKind.PROTOCOL_ERROR,
                        "sent an invalid response (" + Refusal.oneLine(r.decoderResult().cause().getMessage()) + ")");
                return;
            }
            int code = r.status().code();
            if (code == 101) {
                ReferenceCountUtil.release(msg);
                upstreamFailed(h, FailureKind.PROTOCOL_ERROR, "switched protocols unasked");
                return;
            }
            if (code < 200) {
                // Interim responses (100, 103) are the server's business; the balancer sent its own 100.
                skipInterim = true;
            } else {
                responseHead(r);
            }
        }
        if (msg instanceof HttpContent c) {
            responseContent(h, c);
        } else if (skipInterim) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void responseHead(HttpResponse r) {
        phase = Phase.RESPONDING;
        status = r.status().code();
        declaredUnavailable = status == 503 && r.headers().contains(HttpHeaderNames.RETRY_AFTER);
        upstreamNanos = lastActivity - attemptStart;
        body.stopHolding();
        framing = HeaderRewriter.toClient(r, head, headers, requestId, !head.keepAlive() || frontend.draining());
        client.write(r, client.voidPromise());
    }

    private void responseContent(BackendHandler h, HttpContent c) {
        if (skipInterim) {
            skipInterim = !(c instanceof LastHttpContent);
            c.release();
        } else if (c.decoderResult().isFailure()) {
            c.release();
            upstreamFailed(h, FailureKind.CONNECTION_RESET,
                    "broke off the response (" + Refusal.oneLine(c.decoderResult().cause().getMessage()) + ")");
        } else {
            responseBytes += c.content().readableBytes();
            if (c instanceof LastHttpContent) {
                // The time this last piece arrived ends the exchange.
                end(Ending.RESPONDED, c, framing.closesClient() || !body.received(), status, lastActivity);
            } else {
                client.write(c, client.voidPromise());
            }
        }
    }

    @Override
    public void upstreamReadComplete(BackendHandler h) {
        if (h != backend || phase == Phase.DONE) {
            return;
        }
        client.flush();
        if (client.channel().isWritable()) {
            h.channel().read();
        }
    }

    void onClientWritabilityChanged() {
        if (phase != Phase.DONE && backend != null && client.channel().isWritable()) {
            lastActivity = ticker.nanoTime();
            backend.channel().read();
        }
    }

    /** The connection's watchdog fired: time out if the server made no progress for the whole response timeout. */
    @Override
    public void responseTimerFired(BackendHandler h) {
        if (phase == Phase.DONE || h != backend) {
            return;
        }
        long idle = ticker.nanoTime() - lastActivity;
        if (!client.channel().isWritable() && phase == Phase.RESPONDING) {
            // The client is the slow side; that is not the server's timeout.
            h.watch(responseTimeoutNanos);
        } else if (idle < responseTimeoutNanos) {
            h.watch(responseTimeoutNanos - idle);
        } else if (!body.received() && h.channel().isWritable()) {
            // The server is waiting for the rest of the body and the client stopped sending it: the client's fault.
            answer(Refusal.closing(HttpResponseStatus.REQUEST_TIMEOUT, phase == Phase.RESPONDING ? ""
                    : "request body stalled for " + Durations.format(pool.config().responseTimeout())));
        } else {
            upstreamFailed(h, FailureKind.RESPONSE_TIMEOUT,
                    "did not respond within " + Durations.format(pool.config().responseTimeout()));
        }
    }

    // ---- endings ---------------------------------------------------------------------------------------------------

    /** The client went away. The server's attempt counts as finished: the server did nothing wrong. */
    void onClientClosed() {
        if (phase == Phase.DONE) {
            return;
        }
        if (phase != Phase.RESPONDING) {
            status = 499;
        }
        end(Ending.CLIENT_GONE, null, false, status, ticker.nanoTime());
    }

    /**
     * Answers the client with the balancer's own short error in the server's stead; closes when the request body
     * cannot be skipped. With part of a response already out there is no answering any more: the client is cut off.
     */
    private void answer(Refusal r) {
        if (phase == Phase.DONE) {
            return;
        }
        long now = ticker.nanoTime();
        int code = r.status().code();
        if (phase == Phase.RESPONDING) {
            end(Ending.CUT_OFF, null, true, code, now);
            return;
        }
        boolean close = r.close() || !head.keepAlive() || frontend.draining()
                || !(body.received() || head.declaredBodyless());
        FullHttpResponse response = ErrorResponses.create(client.alloc(), r.status(), r.reason(), close);
        if (headers.requestId()) {
            if (BalancerMetrics.NONE.equals(requestId) && head.request().decoderResult().isSuccess()) {
                // Refused before a pool was chosen: the id still ties the answer to the access log line.
                requestId = HeaderRewriter.ensureRequestId(head.request().headers());
            }
            if (!BalancerMetrics.NONE.equals(requestId)) {
                response.headers().set(HeaderRewriter.X_REQUEST_ID, requestId);
            }
        }
        status = code;
        responseBytes = response.content().readableBytes();
        end(Ending.ANSWERED, response, close, code, now);
    }

    /**
     * The one way out. Every ending takes the same steps in this order: let go of the upstream connection (back to
     * its pool only after a clean, complete exchange), tell the server how its attempt ended (unless a failure
     * already did), release what the body still holds, give the client its last bytes or close it, record the
     * exchange, and hand the connection back to the frontend for its next request.
     *
     * @param last          what the client still gets: the response's end, or the balancer's answer; null for none
     * @param closeClient   the client connection closes after {@code last}
     * @param serverStatus  the status the server's attempt is counted with, when it is still open
     */
    private void end(Ending how, HttpObject last, boolean closeClient, int serverStatus, long now) {
        phase = Phase.DONE;
        BackendHandler h = backend;
        backend = null;
        if (h != null) {
            h.detach();
            if (how == Ending.RESPONDED && framing.upstreamReusable() && body.received() && sent == Sent.ALL) {
                proxy.connector().release(h, pool.config().keepAlive(), now);
            } else {
                h.channel().close();
            }
        }
        if (attemptOpen) {
            attemptOpen = false;
            server.requestFinished(serverStatus, how != Ending.CUT_OFF && declaredUnavailable,
                    how == Ending.RESPONDED ? upstreamNanos : now - attemptStart);
        }
        body.release();
        if (how == Ending.CUT_OFF) {
            client.close();
        } else if (last != null && closeClient) {
            client.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        } else if (last != null) {
            client.writeAndFlush(last, client.voidPromise());
        }
        record(now);
        if (how != Ending.CLIENT_GONE) {
            frontend.exchangeDone(this, closeClient);
        }
    }

    private void record(long now) {
        long total = now - startNanos;
        String serverName = server == null ? BalancerMetrics.NONE : server.name();
        // Metrics time the server to the end of its response; the access log shows time to its response head.
        long upstreamTotal = upstreamNanos < 0 ? -1 : now - attemptStart;
        proxy.metrics().requestCompleted(frontend.listener().name(), poolName, serverName, status, total,
                upstreamTotal);
        AccessLog log = proxy.accessLog();
        if (log.enabled()) {
            log.log(new AccessLogEntry(startMillis, frontend.client(), frontend.listener().name(), head.method(),
                    head.uri(), status, responseBytes, total, poolName, serverName, upstreamNanos, attempts,
                    requestId));
        }
    }
}
