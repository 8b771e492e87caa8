package com.foobar.balancer.proxy;

import com.foobar.balancer.accesslog.AccessLog;
import com.foobar.balancer.accesslog.AccessLogEntry;
import com.foobar.balancer.config.Durations;
import com.foobar.balancer.config.ProxyHeadersConfig;
import com.foobar.balancer.http.ErrorReplies;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.upstream.FailureKind;
import com.foobar.balancer.upstream.UpstreamPool;
import com.foobar.balancer.upstream.UpstreamServer;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Ticker;

/**
 * One request from head to the end of its response, including its retries: a state machine in {@link ExchangePhase}s
 * on the client's event loop, as is every upstream connection it uses. What the request says is {@link RequestHead}'s,
 * the header edits {@link HeaderRewriter}'s, writing the request and holding its body {@link RequestForwarder}'s,
 * relaying the response {@link ResponseRelay}'s, and the attempts and whether a failed one is tried again
 * {@link Attempts}' and {@link RetryPolicy}'s (as Envoy's router keeps its retry state apart from the stream). This
 * class sequences them, and every way it can end goes through one {@link #end}.
 */
final class ProxyExchange implements UpstreamEvents {

    /** How an exchange ends; the steps are the same for all, in the same order ({@link #end}). */
    private enum Outcome {
        /** The server's response went out whole. */
        RESPONDED,
        /** The balancer answered in the server's stead. */
        ANSWERED,
        /** Part of a response is out and the rest cannot come: the client connection is closed. */
        CUT_OFF,
        /** The client went away. */
        CLIENT_GONE,
        /** The server switched protocols: both connections now belong to a {@link Tunnel}. */
        UPGRADED
    }

    private final FrontendHandler frontend;
    private final ChannelHandlerContext client;
    private final ProxyContext proxy;
    private final RequestHead head;
    private final RequestForwarder forward;
    private final ResponseRelay response;
    private final Ticker ticker;
    private final long startNanos;
    private final long startMillis = System.currentTimeMillis();

    private ExchangePhase phase = ExchangePhase.ROUTING;
    private String requestId = BalancerMetrics.NONE;
    private ProxyHeadersConfig headers = ProxyHeadersConfig.DEFAULT;
    private String poolName = BalancerMetrics.NONE;
    private UpstreamPool pool;
    private long responseTimeoutNanos;
    /** Null until the request is routed to a pool. */
    private Attempts attempts;
    private BackendHandler backend;
    /** The attempt was sent again on a new connection after a pooled one turned out closed (once per exchange). */
    private boolean reconnected;

    /** What the access log and metrics get: the server's status, 499, or the balancer's own answer's. */
    private int status;
    /** The balancer's own answer's length; a relayed response counts its own. */
    private long answerBytes;
    private long upstreamNanos = -1;
    private long lastActivity;

    ProxyExchange(FrontendHandler frontend, ChannelHandlerContext client, HttpRequest request, Ticker ticker) {
        this.frontend = frontend;
        this.client = client;
        this.proxy = frontend.proxy();
        this.ticker = ticker;
        this.startNanos = ticker.nanoTime();
        this.head = new RequestHead(request, frontend.clientAddress());
        this.forward = new RequestForwarder(client, this);
        this.response = new ResponseRelay(client, this.head);
    }

    ExchangePhase phase() {
        return phase;
    }

    boolean requestReceived() {
        return forward.received();
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
        attempts = new Attempts(pool);
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
        if (expectation == RequestHead.Expectation.CONTINUE) {
            forward.expectContinue();
        }
        headers = pool.config().proxyHeaders();
        return null;
    }

    // ---- attempts --------------------------------------------------------------------------------------------------

    private void attempt() {
        // One clock read serves the attempt's start, the pool's idle check and the response timer.
        long now = ticker.nanoTime();
        UpstreamServer s = attempts.next(head, now);
        if (s == null) {
            if (attempts.count() == 0) {
                proxy.metrics().noServer(frontend.listener().name(), poolName);
                answer(Refusal.keepingAlive(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "no usable server in pool " + poolName));
            } else {
                answer(attempts.lastFailure());
            }
            return;
        }
        forward.beginAttempt();
        phase = ExchangePhase.CONNECTING;
        BackendHandler pooled = proxy.connector().acquire(client.channel().eventLoop(), s, now);
        if (pooled != null) {
            bind(pooled, now);
        } else {
            proxy.connector().connect(client.channel().eventLoop(), s, pool.config(), this);
        }
    }

    @Override
    public boolean connected(UpstreamServer s, BackendHandler connection) {
        if (phase != ExchangePhase.CONNECTING || s != attempts.server()) {
            return false;
        }
        bind(connection, ticker.nanoTime());
        return true;
    }

    @Override
    public void connectFailed(UpstreamServer s, FailureKind kind, String reason) {
        if (phase == ExchangePhase.CONNECTING && s == attempts.server()) {
            attemptFailed(kind, reason);
        }
    }

    private void bind(BackendHandler h, long nowNanos) {
        backend = h;
        phase = ExchangePhase.FORWARDING;
        h.attach(this);
        forward.start(h, head, frontend.inReadBatch());
        if (backend != h) {
            return; // the head's write failed at once
        }
        forward.readMore();
        h.channel().read();
        lastActivity = nowNanos;
        if (responseTimeoutNanos > 0) {
            h.watch(responseTimeoutNanos);
        }
    }

    @Override
    public void upstreamFailed(BackendHandler h, FailureKind kind, String reason) {
        if (phase == ExchangePhase.DONE || h != backend) {
            return; // a connection this exchange no longer uses
        }
        backend = null;
        forward.stop();
        h.detach();
        h.channel().close();
        if (staleConnection(h, kind)) {
            reconnect();
        } else {
            attemptFailed(kind, reason);
        }
    }

    /**
     * A pooled connection the server closed while it sat idle (its keep-alive timeout and our reuse crossed): the
     * request went into a closed socket and the server never saw it, so it is sent once more to the same server on a
     * new connection, neither counted against the server nor as a retry, as nginx does for its cached connections.
     * Only before any response byte, and only when resending is safe: an idempotent request, or one whose head did not
     * get out, with all of its body still held.
     */
    private boolean staleConnection(BackendHandler h, FailureKind kind) {
        return kind == FailureKind.CONNECTION_RESET && h.reused() && !reconnected && phase == ExchangePhase.FORWARDING
                && forward.intact() && (head.idempotent() || !forward.reachedServer());
    }

    private void reconnect() {
        reconnected = true;
        forward.beginAttempt();
        phase = ExchangePhase.CONNECTING;
        proxy.connector().connect(client.channel().eventLoop(), attempts.server(), pool.config(), this);
    }

    private void attemptFailed(FailureKind kind, String reason) {
        long now = ticker.nanoTime();
        attempts.failed(kind, now);
        if (phase == ExchangePhase.RESPONDING) {
            end(Outcome.CUT_OFF, null, true, 0, now);
        } else if (attempts.retry(kind, reason, head.idempotent(), forward.reachedServer(), forward.intact())) {
            proxy.metrics().retried(poolName, attempts.server().name(), kind.label());
            attempt();
        } else {
            answer(attempts.lastFailure());
        }
    }

    // ---- request body ----------------------------------------------------------------------------------------------

    void onClientContent(Object msg) {
        if (phase == ExchangePhase.DONE || !(msg instanceof HttpContent c)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (c.decoderResult().isFailure()) {
            String why = Refusal.oneLine(c.decoderResult().cause().getMessage());
            c.release();
            forward.markReceived();
            answer(Refusal.closing(HttpResponseStatus.BAD_REQUEST, "malformed request body: " + why));
            return;
        }
        lastActivity = ticker.nanoTime();
        forward.receive(c);
    }

    void onClientReadComplete() {
        if (phase != ExchangePhase.DONE) {
            forward.clientReadComplete();
        }
    }

    @Override
    public void upstreamWritable(BackendHandler h) {
        if (h == backend) {
            forward.readMore();
        }
    }

    // ---- response --------------------------------------------------------------------------------------------------

    @Override
    public void upstreamMessage(BackendHandler h, Object msg) {
        if (h != backend || phase == ExchangePhase.DONE) {
            ReferenceCountUtil.release(msg);
            return;
        }
        // The one clock read for this message: the response head's latency and the exchange's end use it too.
        lastActivity = ticker.nanoTime();
        switch (response.relay(msg, headers, requestId, !head.keepAlive() || frontend.draining())) {
            case RELAYED -> responding();
            case LAST -> {
                responding();
                // The time this last piece arrived ends the exchange.
                end(Outcome.RESPONDED, (HttpContent) msg, response.framing().closesClient() || !forward.received(),
                        status, lastActivity);
            }
            case UPGRADED -> {
                responding();
                end(Outcome.UPGRADED, null, false, status, lastActivity);
            }
            case INVALID -> upstreamFailed(h, FailureKind.PROTOCOL_ERROR, response.problem());
            case BROKEN -> upstreamFailed(h, FailureKind.CONNECTION_RESET, response.problem());
            case SKIPPED -> {
            }
        }
    }

    /** The response's head is out: nothing can be retried or answered instead, nothing is held for a replay. */
    private void responding() {
        if (phase != ExchangePhase.RESPONDING) {
            phase = ExchangePhase.RESPONDING;
            status = response.status();
            upstreamNanos = lastActivity - attempts.startNanos();
            forward.stopHolding();
        }
    }

    @Override
    public void upstreamReadComplete(BackendHandler h) {
        if (h != backend || phase == ExchangePhase.DONE) {
            return;
        }
        client.flush();
        if (client.channel().isWritable()) {
            h.channel().read();
        }
    }

    void onClientWritabilityChanged() {
        if (phase != ExchangePhase.DONE && backend != null && client.channel().isWritable()) {
            lastActivity = ticker.nanoTime();
            backend.channel().read();
        }
    }

    /** The connection's watchdog fired: time out if the server made no progress for the whole response timeout. */
    @Override
    public void responseTimerFired(BackendHandler h) {
        if (phase == ExchangePhase.DONE || h != backend) {
            return;
        }
        long idle = ticker.nanoTime() - lastActivity;
        if (!client.channel().isWritable() && phase == ExchangePhase.RESPONDING) {
            // The client is the slow side; that is not the server's timeout.
            h.watch(responseTimeoutNanos);
        } else if (idle < responseTimeoutNanos) {
            h.watch(responseTimeoutNanos - idle);
        } else if (!forward.received() && h.channel().isWritable()) {
            // The server is waiting for the rest of the body and the client stopped sending it: the client's fault.
            answer(Refusal.closing(HttpResponseStatus.REQUEST_TIMEOUT, phase == ExchangePhase.RESPONDING ? ""
                    : "request body stalled for " + Durations.format(pool.config().responseTimeout())));
        } else {
            upstreamFailed(h, FailureKind.RESPONSE_TIMEOUT,
                    "did not respond within " + Durations.format(pool.config().responseTimeout()));
        }
    }

    // ---- endings ---------------------------------------------------------------------------------------------------

    /** The client went away. The server's attempt counts as finished: the server did nothing wrong. */
    void onClientClosed() {
        if (phase == ExchangePhase.DONE) {
            return;
        }
        if (phase != ExchangePhase.RESPONDING) {
            status = 499;
        }
        end(Outcome.CLIENT_GONE, null, false, status, ticker.nanoTime());
    }

    /**
     * Answers the client with the balancer's own short error in the server's stead; closes when the request body
     * cannot be skipped. With part of a response already out there is no answering any more: the client is cut off.
     */
    private void answer(Refusal r) {
        if (phase == ExchangePhase.DONE) {
            return;
        }
        long now = ticker.nanoTime();
        int code = r.status().code();
        if (phase == ExchangePhase.RESPONDING) {
            end(Outcome.CUT_OFF, null, true, code, now);
            return;
        }
        boolean close = r.close() || !head.keepAlive() || frontend.draining()
                || !(forward.received() || head.declaredBodyless());
        if (headers.requestId() && BalancerMetrics.NONE.equals(requestId)
                && head.request().decoderResult().isSuccess()) {
            // Refused before a pool was chosen: the id still ties the answer to the access log line.
            requestId = HeaderRewriter.ensureRequestId(head.request().headers());
        }
        FullHttpResponse answer = ErrorReplies.response(client.alloc(), r.status(), r.reason(), close);
        if (headers.requestId() && !BalancerMetrics.NONE.equals(requestId)) {
            answer.headers().set(HeaderRewriter.X_REQUEST_ID, requestId);
        }
        status = code;
        answerBytes = answer.content().readableBytes();
        end(Outcome.ANSWERED, answer, close, code, now);
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
    private void end(Outcome how, HttpObject last, boolean closeClient, int serverStatus, long now) {
        phase = ExchangePhase.DONE;
        BackendHandler h = backend;
        backend = null;
        if (h != null) {
            h.detach();
            // An upgraded connection is neither pooled nor closed: the tunnel takes it below.
            if (how == Outcome.RESPONDED && response.framing().upstreamReusable() && forward.received()
                    && forward.allSent()) {
                proxy.connector().release(h, pool.config().keepAlive(), now);
            } else if (how != Outcome.UPGRADED) {
                h.channel().close();
            }
        }
        if (attempts != null) {
            attempts.finished(serverStatus, how != Outcome.CUT_OFF && response.declaredUnavailable(),
                    how == Outcome.RESPONDED ? upstreamNanos : now - attempts.startNanos());
        }
        forward.release();
        if (how == Outcome.CUT_OFF) {
            client.close();
        } else if (last != null && closeClient) {
            client.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        } else if (last != null) {
            client.writeAndFlush(last, client.voidPromise());
        }
        record(now);
        if (how == Outcome.UPGRADED) {
            frontend.upgraded(this);
            Tunnel.open(proxy, frontend.listener(), client.channel(), h.channel());
        } else if (how != Outcome.CLIENT_GONE) {
            frontend.exchangeDone(this, closeClient);
        }
    }

    private void record(long now) {
        long total = now - startNanos;
        UpstreamServer server = attempts == null ? null : attempts.server();
        String serverName = server == null ? BalancerMetrics.NONE : server.name();
        // Metrics time the server to the end of its response; the access log shows time to its response head.
        long upstreamTotal = upstreamNanos < 0 ? -1 : now - attempts.startNanos();
        proxy.metrics().requestCompleted(frontend.listener().name(), poolName, serverName, status, total,
                upstreamTotal);
        AccessLog log = proxy.accessLog();
        if (log.enabled()) {
            long bytes = response.started() ? response.bytes() : answerBytes;
            log.log(new AccessLogEntry(startMillis, frontend.client(), frontend.listener().name(), head.method(),
                    head.uri(), status, bytes, total, poolName, serverName, upstreamNanos,
                    attempts == null ? 0 : attempts.count(), requestId));
        }
    }
}
