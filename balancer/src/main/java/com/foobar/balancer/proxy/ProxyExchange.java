package com.foobar.balancer.proxy;

import com.foobar.balancer.accesslog.AccessLog;
import com.foobar.balancer.accesslog.AccessLogEntry;
import com.foobar.balancer.config.ProxyHeadersConfig;
import com.foobar.balancer.lb.RequestContext;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.upstream.FailureKind;
import com.foobar.balancer.upstream.UpstreamPool;
import com.foobar.balancer.upstream.UpstreamServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.util.ReferenceCountUtil;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One request from head to the end of its response, including its retries. Runs entirely on the client's event
 * loop, and so does every upstream connection it uses.
 *
 * <p>Retry rules: a request that failed before any of its bytes reached a server is retried on another server
 * (refused or timed-out connect, a pooled connection that died on the first write). An idempotent request is also
 * retried when the connection fails before the response starts, if its body is still held (up to
 * {@link #REPLAY_LIMIT}). A non-idempotent request whose bytes reached a server is never replayed.
 */
final class ProxyExchange implements RequestContext, ChannelFutureListener {

    /** Request bodies up to this size are kept until the response starts, so an idempotent request can be replayed. */
    static final int REPLAY_LIMIT = 64 * 1024;

    /**
     * Reads from servers grow up to 256 KiB (Netty's default stops at 64 KiB): a large response then costs a quarter
     * of the reads and writes. With io_uring, 1 MiB responses went from 0.85x to 0.95x HAProxy's throughput in
     * bench/ (large-response, rounds interleaved). Small responses never grow the buffer, and each read's buffer is
     * returned to the pool once written to the client.
     */
    static final RecvByteBufAllocator UPSTREAM_READS = new AdaptiveRecvByteBufAllocator(64, 2048, 256 * 1024);

    static final Consumer<Throwable> LOG_UNEXPECTED = t ->
            System.err.println("balancer: unexpected " + t.getClass().getName() + ": " + t.getMessage());

    private final FrontendHandler frontend;
    private final ChannelHandlerContext client;
    private final ProxyContext proxy;
    private final HttpRequest request;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private final String method;
    private final String uri;

    private String path = "/";
    private boolean http10;
    private boolean clientKeepAlive;
    private boolean idempotent;
    private boolean declaredBodyless;
    private boolean expectContinue;
    private String requestId = BalancerMetrics.NONE;
    private ProxyHeadersConfig headers = ProxyHeadersConfig.DEFAULT;

    private String poolName = BalancerMetrics.NONE;
    private UpstreamPool pool;
    private int maxAttempts;
    private long responseTimeoutNanos;

    private boolean requestReceived;
    private boolean consumedBody;
    private ArrayDeque<HttpContent> unsent;
    private ArrayList<HttpContent> replay;
    private int replayBytes;
    private boolean replayable = true;

    private Set<UpstreamServer> tried = Collections.emptySet();
    private int attempts;
    private UpstreamServer server;
    private boolean attemptOpen;
    private long attemptStart;
    private BackendHandler backend;
    private boolean wroteHead;
    private boolean requestSent;
    private boolean everWroteHead;
    private HttpResponseStatus lastFailureStatus;
    private String lastFailureReason;

    private boolean responseStarted;
    private boolean skipInterim;
    private boolean upstreamReusable;
    private boolean closeClientAfter;
    private int status;
    /** The server's 503 carried Retry-After: it says it cannot serve now, which is not a failure of the server. */
    private boolean declaredUnavailable;
    private long responseBytes;
    private long upstreamNanos = -1;

    private long lastActivity;
    private boolean done;

    ProxyExchange(FrontendHandler frontend, ChannelHandlerContext client, HttpRequest request) {
        this.frontend = frontend;
        this.client = client;
        this.proxy = frontend.proxy();
        this.request = request;
        this.method = request.method().name();
        this.uri = request.uri();
    }

    boolean requestReceived() {
        return requestReceived;
    }

    // ---- request head ------------------------------------------------------------------------------------------

    void start() {
        frontend.requestHeadReceived();
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            rejectMalformed(decoded.cause());
            return;
        }
        HttpHeaders h = request.headers();
        http10 = request.protocolVersion().minorVersion() == 0;
        clientKeepAlive = HttpUtil.isKeepAlive(request);
        idempotent = isIdempotent(request.method());
        declaredBodyless = !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;

        String host = h.get(HttpHeaderNames.HOST);
        if (!uri.isEmpty() && uri.charAt(0) == '/') {
            int q = uri.indexOf('?');
            path = q < 0 ? uri : uri.substring(0, q);
        } else if (uri.regionMatches(true, 0, "http://", 0, 7) || uri.regionMatches(true, 0, "https://", 0, 8)) {
            // Absolute form: the authority in the target overrides Host (RFC 9112 3.2.2); servers get origin form.
            int authority = uri.indexOf("//") + 2;
            int slash = uri.indexOf('/', authority);
            host = uri.substring(authority, slash < 0 ? uri.length() : slash);
            String target = slash < 0 ? "/" : uri.substring(slash);
            request.setUri(target);
            h.set(HttpHeaderNames.HOST, host);
            int q = target.indexOf('?');
            path = q < 0 ? target : target.substring(0, q);
        } else if (!"*".equals(uri)) {
            respondError(HttpResponseStatus.BAD_REQUEST, "request target \"" + abbreviate(uri) + "\" is not a path",
                    true);
            return;
        }
        if (host == null && !http10) {
            // Closed, as every malformed request: nothing after it on this connection can be trusted to be framed right.
            respondError(HttpResponseStatus.BAD_REQUEST, "HTTP/1.1 request without a Host header", true);
            return;
        }

        Router router = frontend.listener().router();
        String name = router.route(host, path);
        if (name == null) {
            if (router.miss(host) == Router.Miss.UNKNOWN_HOST) {
                respondError(HttpResponseStatus.MISDIRECTED_REQUEST,
                        "no route for host \"" + abbreviate(host == null ? "" : host) + "\"", false);
            } else {
                respondError(HttpResponseStatus.NOT_FOUND, "no route for path \"" + abbreviate(path) + "\"", false);
            }
            return;
        }
        poolName = name;
        pool = proxy.upstreams().pool(name);
        if (pool == null) {
            respondError(HttpResponseStatus.SERVICE_UNAVAILABLE, "pool " + name + " is not configured", false);
            return;
        }
        String expect = h.get(HttpHeaderNames.EXPECT);
        if (expect != null) {
            if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
                respondError(HttpResponseStatus.EXPECTATION_FAILED, "unsupported expectation \""
                        + abbreviate(expect) + "\"", true);
                return;
            }
            // The balancer answers 100 itself once a server is connected; the server sees a plain request.
            expectContinue = true;
            h.remove(HttpHeaderNames.EXPECT);
        }

        boolean chunked = HeaderRewriter.removeHopByHop(request);
        if (chunked) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        headers = pool.config().proxyHeaders();
        if (headers.requestId()) {
            requestId = HeaderRewriter.ensureRequestId(h);
        }
        if (headers.forwardedFor()) {
            HeaderRewriter.appendForwardedFor(h, frontend.clientIp());
        }
        if (headers.forwardedProto()) {
            h.set(HeaderRewriter.X_FORWARDED_PROTO, frontend.scheme());
        }
        if (headers.forwardedHost() && host != null) {
            h.set(HeaderRewriter.X_FORWARDED_HOST, host);
        }
        if (headers.forwardedPort()) {
            h.set(HeaderRewriter.X_FORWARDED_PORT, frontend.listener().port());
        }
        if (headers.via()) {
            HeaderRewriter.appendVia(h, http10 ? "1.0" : "1.1");
        }

        maxAttempts = 1 + Math.max(0, pool.config().retries());
        responseTimeoutNanos = pool.config().responseTimeout().toNanos();
        attempt();
    }

    private void rejectMalformed(Throwable cause) {
        HttpResponseStatus st;
        String reason;
        if (cause instanceof TooLongHttpLineException) {
            st = HttpResponseStatus.REQUEST_URI_TOO_LONG;
            reason = "request line too long";
        } else if (cause instanceof TooLongHttpHeaderException) {
            st = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            reason = "request headers too large";
        } else if (cause instanceof TooLongFrameException) {
            st = HttpResponseStatus.BAD_REQUEST;
            reason = "request too large";
        } else {
            st = HttpResponseStatus.BAD_REQUEST;
            reason = "malformed request: " + oneLine(cause.getMessage());
        }
        respondError(st, reason, true);
    }

    private static boolean isIdempotent(HttpMethod m) {
        return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.PUT || m == HttpMethod.DELETE
                || m == HttpMethod.OPTIONS || m == HttpMethod.TRACE;
    }

    // ---- upstream attempts -------------------------------------------------------------------------------------

    private void attempt() {
        UpstreamServer s = pool.select(this, tried);
        if (s == null) {
            if (attempts == 0) {
                proxy.metrics().noServer(frontend.listener().name(), poolName);
                respondError(HttpResponseStatus.SERVICE_UNAVAILABLE, "no usable server in pool " + poolName, false);
            } else {
                respondError(lastFailureStatus, lastFailureReason, false);
            }
            return;
        }
        attempts++;
        server = s;
        wroteHead = false;
        requestSent = false;
        // One clock read serves the attempt's start, the pool's idle check and the response timer.
        long now = System.nanoTime();
        attemptStart = now;
        attemptOpen = true;
        s.requestStarted();
        Channel clientChannel = client.channel();
        BackendHandler pooled = proxy.connections().acquire(clientChannel.eventLoop(), s, now);
        if (pooled != null) {
            bind(pooled, now);
            return;
        }
        // The one read of the server's current address (a re-resolved name may move); selection only picks servers
        // that have one, and a server never loses its address once it has one.
        InetSocketAddress to = s.socketAddress();
        Bootstrap b = new Bootstrap()
                .group(clientChannel.eventLoop())
                .channel(proxy.transport().channelType())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, UPSTREAM_READS)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, pool.config().connectTimeout().toMillis()))
                .handler(new BackendInitializer(proxy.connections(), s, to));
        ChannelFuture f = b.connect(to);
        f.addListener((ChannelFutureListener) future -> onConnected(future, s));
    }

    private void onConnected(ChannelFuture f, UpstreamServer s) {
        if (!f.isSuccess()) {
            s.connectFailed(); // a server named by DNS may have moved: ask again soon
        }
        if (f.isSuccess()) {
            Channel ch = f.channel();
            String poolLabel = s.poolName();
            String serverLabel = s.name();
            proxy.metrics().upstreamConnectionOpened(poolLabel, serverLabel);
            ch.closeFuture().addListener(cf -> proxy.metrics().upstreamConnectionClosed(poolLabel, serverLabel));
        }
        if (done || s != server || backend != null) {
            // The client left while we connected: keep the fresh connection for someone else.
            if (f.isSuccess()) {
                proxy.connections().release(f.channel().pipeline().get(BackendHandler.class),
                        pool.config().keepAlive(), System.nanoTime());
            }
            return;
        }
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            FailureKind kind = cause instanceof ConnectTimeoutException ? FailureKind.CONNECT_TIMEOUT
                    : FailureKind.CONNECT_REFUSED;
            attemptFailed(kind, kind == FailureKind.CONNECT_TIMEOUT
                    ? "connect timed out after " + ErrorResponses.format(pool.config().connectTimeout())
                    : "connect failed (" + describe(cause) + ")");
            return;
        }
        bind(f.channel().pipeline().get(BackendHandler.class), System.nanoTime());
    }

    private void bind(BackendHandler h, long nowNanos) {
        backend = h;
        h.attach(this);
        Channel ch = h.channel();
        if (declaredBodyless) {
            // Head and end go out in one flush: the end's promise tells for both, and a failed head write reaches
            // BackendHandler.exceptionCaught through the void promise. One promise per request instead of two.
            ch.write(request, ch.voidPromise());
        } else {
            // With a body the head's own success matters: it decides whether a failed upload may be retried.
            ch.write(request).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    if (backend == h) {
                        wroteHead = true;
                    }
                } else {
                    onBackendFailure(h, FailureKind.CONNECTION_RESET, "write failed (" + describe(f.cause()) + ")");
                }
            });
        }
        if (backend != h) {
            return;
        }
        if (consumedBody) {
            // A retry: everything received so far is held in the replay buffer (else no retry would happen).
            releaseAll(unsent);
            for (HttpContent c : replay == null ? Collections.<HttpContent>emptyList() : replay) {
                writeToBackend(ch, c.retainedDuplicate());
            }
        } else if (unsent != null) {
            HttpContent c;
            while ((c = unsent.poll()) != null) {
                writeToBackend(ch, c);
            }
        }
        if (!frontend.inReadBatch()) {
            // Otherwise the client's read-complete flushes, once, with the rest of the request.
            ch.flush();
        }
        if (done || backend != h) {
            return;
        }
        if (expectContinue && !requestReceived) {
            expectContinue = false;
            client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER), client.voidPromise());
        }
        if (!requestReceived && ch.isWritable()) {
            client.read();
        }
        ch.read();
        armTimer(nowNanos);
    }

    private void writeToBackend(Channel ch, HttpContent c) {
        consumedBody = true;
        if (c instanceof LastHttpContent) {
            ch.write(c).addListener(this);
        } else {
            ch.write(c, ch.voidPromise());
        }
    }

    /** The end of the request reached the socket (listener of the last write; the exchange is its own listener). */
    @Override
    public void operationComplete(ChannelFuture f) {
        if (f.isSuccess() && backend != null && backend.channel() == f.channel()) {
            wroteHead = true;
            requestSent = true;
        }
    }

    // ---- request body ------------------------------------------------------------------------------------------

    void onClientContent(Object msg) {
        if (done || !(msg instanceof HttpContent)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        HttpContent c = (HttpContent) msg;
        if (c.decoderResult().isFailure()) {
            Throwable cause = c.decoderResult().cause();
            c.release();
            requestReceived = true;
            respondError(HttpResponseStatus.BAD_REQUEST, "malformed request body: " + oneLine(cause.getMessage()),
                    true);
            return;
        }
        lastActivity = System.nanoTime();
        if (c instanceof LastHttpContent) {
            requestReceived = true;
        }
        if (replayable && !responseStarted) {
            int n = c.content().readableBytes();
            if (replayBytes + n <= REPLAY_LIMIT) {
                if (replay == null) {
                    replay = new ArrayList<>(2);
                }
                replay.add(c.retainedDuplicate());
                replayBytes += n;
            } else {
                replayable = false;
                releaseAll(replay);
            }
        }
        if (backend != null) {
            writeToBackend(backend.channel(), c);
        } else {
            if (unsent == null) {
                unsent = new ArrayDeque<>(2);
            }
            unsent.add(c);
        }
    }

    void onClientReadComplete() {
        if (done || backend == null) {
            return;
        }
        Channel ch = backend.channel();
        ch.flush();
        if (!requestReceived && ch.isWritable()) {
            client.read();
        }
    }

    void onBackendWritabilityChanged(BackendHandler h) {
        if (h == backend && !done && !requestReceived && h.channel().isWritable()) {
            client.read();
        }
    }

    // ---- response ----------------------------------------------------------------------------------------------

    void onBackendMessage(BackendHandler h, Object msg) {
        if (h != backend || done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        // The one clock read for this message: the response head's latency and the exchange's end use it too.
        lastActivity = System.nanoTime();
        if (msg instanceof HttpResponse) {
            HttpResponse r = (HttpResponse) msg;
            if (r.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                onBackendFailure(h, FailureKind.PROTOCOL_ERROR,
                        "sent an invalid response (" + oneLine(r.decoderResult().cause().getMessage()) + ")");
                return;
            }
            int code = r.status().code();
            if (code < 200) {
                if (code == 101) {
                    ReferenceCountUtil.release(msg);
                    onBackendFailure(h, FailureKind.PROTOCOL_ERROR, "switched protocols unasked");
                    return;
                }
                // Interim responses (100, 103) are the server's business; the balancer sent its own 100.
                skipInterim = true;
                if (!(msg instanceof LastHttpContent)) {
                    ReferenceCountUtil.release(msg);
                    return;
                }
            } else {
                onResponseHead(r);
            }
        }
        if (msg instanceof HttpContent) {
            HttpContent c = (HttpContent) msg;
            if (skipInterim) {
                if (c instanceof LastHttpContent) {
                    skipInterim = false;
                }
                c.release();
                return;
            }
            if (c.decoderResult().isFailure()) {
                c.release();
                onBackendFailure(h, FailureKind.CONNECTION_RESET,
                        "broke off the response (" + oneLine(c.decoderResult().cause().getMessage()) + ")");
                return;
            }
            responseBytes += c.content().readableBytes();
            if (c instanceof LastHttpContent) {
                finish(h, (LastHttpContent) c);
            } else {
                client.write(c, client.voidPromise());
            }
        }
    }

    private void onResponseHead(HttpResponse r) {
        responseStarted = true;
        status = r.status().code();
        declaredUnavailable = status == 503 && r.headers().contains(HttpHeaderNames.RETRY_AFTER);
        upstreamNanos = lastActivity - attemptStart;
        replayable = false;
        releaseAll(replay);

        upstreamReusable = HttpUtil.isKeepAlive(r);
        boolean bodyless = request.method() == HttpMethod.HEAD || status == 204 || status == 304;
        boolean hasLength = HttpUtil.isContentLengthSet(r);
        HttpHeaders h = r.headers();
        boolean chunked = HeaderRewriter.removeHopByHop(r);
        closeClientAfter = !clientKeepAlive || frontend.draining();
        if (bodyless) {
            if (chunked) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        } else if (!hasLength) {
            if (!chunked) {
                // Delimited by the server closing: that connection cannot be reused.
                upstreamReusable = false;
            }
            if (http10) {
                closeClientAfter = true;
            } else {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (closeClientAfter) {
            if (!http10) {
                h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        } else if (http10) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (headers.via()) {
            HeaderRewriter.appendVia(h, r.protocolVersion().minorVersion() == 0 ? "1.0" : "1.1");
        }
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (headers.requestId() && !h.contains(HeaderRewriter.X_REQUEST_ID)) {
            h.set(HeaderRewriter.X_REQUEST_ID, requestId);
        }
        client.write(r, client.voidPromise());
    }

    void onBackendReadComplete(BackendHandler h) {
        if (h != backend || done) {
            return;
        }
        client.flush();
        if (client.channel().isWritable()) {
            h.channel().read();
        }
    }

    void onClientWritabilityChanged() {
        if (!done && backend != null && client.channel().isWritable()) {
            lastActivity = System.nanoTime();
            backend.channel().read();
        }
    }

    private void finish(BackendHandler h, LastHttpContent last) {
        done = true;
        backend = null;
        h.detach();
        long now = lastActivity; // read when this last piece of the response arrived
        attemptOpen = false;
        server.requestFinished(status, declaredUnavailable, upstreamNanos);
        boolean closeClient = closeClientAfter || !requestReceived;
        if (upstreamReusable && requestReceived && requestSent) {
            proxy.connections().release(h, pool.config().keepAlive(), now);
        } else {
            h.channel().close();
        }
        releaseAll(unsent);
        if (closeClient) {
            client.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        } else {
            client.writeAndFlush(last, client.voidPromise());
        }
        record(now);
        frontend.exchangeDone(this, closeClient);
    }

    // ---- failures ----------------------------------------------------------------------------------------------

    /** The upstream connection in use failed: reset, close, bad bytes or timeout. Stale connections are ignored. */
    void onBackendFailure(BackendHandler h, FailureKind kind, String reason) {
        if (done || h != backend) {
            return;
        }
        backend = null;
        h.detach();
        h.channel().close();
        attemptFailed(kind, reason);
    }

    private void attemptFailed(FailureKind kind, String reason) {
        long latency = System.nanoTime() - attemptStart;
        attemptOpen = false;
        server.requestFailed(kind, latency);
        String where = "server " + server.name() + " (" + server.address() + ") ";
        if (responseStarted) {
            // Part of the response is out: the only honest thing left is to cut the client off.
            done = true;
            releaseAll(unsent);
            client.close();
            record(System.nanoTime());
            frontend.exchangeDone(this, true);
            return;
        }
        if (tried.isEmpty()) {
            tried = new HashSet<>(4);
        }
        tried.add(server);
        boolean bodyIntact = !consumedBody || replayable;
        boolean reachedServer = wroteHead || everWroteHead;
        everWroteHead |= wroteHead;
        boolean retryable = bodyIntact && kind != FailureKind.RESPONSE_TIMEOUT && kind != FailureKind.PROTOCOL_ERROR
                && (!reachedServer || idempotent);
        switch (kind) {
            case CONNECT_REFUSED:
            case CONNECT_TIMEOUT:
                lastFailureStatus = HttpResponseStatus.SERVICE_UNAVAILABLE;
                break;
            case RESPONSE_TIMEOUT:
                lastFailureStatus = HttpResponseStatus.GATEWAY_TIMEOUT;
                break;
            default:
                lastFailureStatus = HttpResponseStatus.BAD_GATEWAY;
        }
        lastFailureReason = where + reason;
        if (retryable && attempts < maxAttempts) {
            proxy.metrics().retried(poolName, server.name(), kind);
            attempt();
            return;
        }
        respondError(lastFailureStatus, lastFailureReason, false);
    }

    /** The client went away. The server's attempt counts as finished: the server did nothing wrong. */
    void onClientClosed() {
        if (done) {
            return;
        }
        done = true;
        if (backend != null) {
            BackendHandler h = backend;
            backend = null;
            h.detach();
            h.channel().close();
        }
        if (attemptOpen) {
            attemptOpen = false;
            server.requestFinished(responseStarted ? status : 499, declaredUnavailable, System.nanoTime() - attemptStart);
        }
        releaseAll(unsent);
        releaseAll(replay);
        if (!responseStarted) {
            status = 499;
        }
        record(System.nanoTime());
    }

    /** Answers the client with the balancer's own short error; closes when the request body cannot be skipped. */
    private void respondError(HttpResponseStatus st, String reason, boolean forceClose) {
        if (done) {
            return;
        }
        done = true;
        if (backend != null) {
            BackendHandler h = backend;
            backend = null;
            h.detach();
            h.channel().close();
        }
        if (attemptOpen) {
            attemptOpen = false;
            server.requestFinished(st.code(), false, System.nanoTime() - attemptStart);
        }
        releaseAll(unsent);
        releaseAll(replay);
        if (responseStarted) {
            client.close();
            record(System.nanoTime());
            frontend.exchangeDone(this, true);
            return;
        }
        boolean close = forceClose || !clientKeepAlive || frontend.draining()
                || !(requestReceived || declaredBodyless);
        FullHttpResponse response = ErrorResponses.create(client.alloc(), st, reason, close);
        if (headers.requestId()) {
            if (BalancerMetrics.NONE.equals(requestId) && request.decoderResult().isSuccess()) {
                // Refused before a pool was chosen: the id still ties the answer to the access log line.
                requestId = HeaderRewriter.ensureRequestId(request.headers());
            }
            if (!BalancerMetrics.NONE.equals(requestId)) {
                response.headers().set(HeaderRewriter.X_REQUEST_ID, requestId);
            }
        }
        status = st.code();
        responseBytes = response.content().readableBytes();
        if (close) {
            client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            client.writeAndFlush(response, client.voidPromise());
        }
        record(System.nanoTime());
        frontend.exchangeDone(this, close);
    }

    // ---- response timeout --------------------------------------------------------------------------------------

    private void armTimer(long nowNanos) {
        lastActivity = nowNanos;
        if (responseTimeoutNanos > 0) {
            backend.watch(responseTimeoutNanos);
        }
    }

    /** The connection's watchdog fired: time out if the server made no progress for the whole response timeout. */
    void onResponseTimer(BackendHandler h) {
        if (done || h != backend) {
            return;
        }
        long idle = System.nanoTime() - lastActivity;
        if (!client.channel().isWritable() && responseStarted) {
            // The client is the slow side; that is not the server's timeout.
            h.watch(responseTimeoutNanos);
            return;
        }
        if (idle < responseTimeoutNanos) {
            h.watch(responseTimeoutNanos - idle);
            return;
        }
        if (!requestReceived && h.channel().isWritable()) {
            // The server is waiting for the rest of the body and the client stopped sending it: the client's fault.
            if (responseStarted) {
                respondError(HttpResponseStatus.REQUEST_TIMEOUT, "", true);
            } else {
                respondError(HttpResponseStatus.REQUEST_TIMEOUT, "request body stalled for "
                        + ErrorResponses.format(pool.config().responseTimeout()), true);
            }
            return;
        }
        onBackendFailure(h, FailureKind.RESPONSE_TIMEOUT,
                "did not respond within " + ErrorResponses.format(pool.config().responseTimeout()));
    }

    // ---- bookkeeping -------------------------------------------------------------------------------------------

    private void record(long now) {
        long total = now - startNanos;
        String serverName = server == null ? BalancerMetrics.NONE : server.name();
        // Metrics time the server to the end of its response; the access log shows time to its response head.
        long upstreamTotal = upstreamNanos < 0 ? -1 : now - attemptStart;
        proxy.metrics().requestCompleted(frontend.listener().name(), poolName, serverName, status, total,
                upstreamTotal);
        AccessLog log = proxy.accessLog();
        if (!log.enabled()) {
            return;
        }
        log.log(new AccessLogEntry(startMillis, frontend.client(), frontend.listener().name(), method,
                uri, status, responseBytes, total, poolName, serverName, upstreamNanos, attempts, requestId));
    }

    private static void releaseAll(java.util.Collection<? extends HttpContent> contents) {
        if (contents == null) {
            return;
        }
        for (HttpContent c : contents) {
            c.release();
        }
        contents.clear();
    }

    static String describe(Throwable t) {
        if (t instanceof ConnectException) {
            return "connection refused";
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : oneLine(m);
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.replace('\r', ' ').replace('\n', ' ');
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static String abbreviate(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 100));
        for (int i = 0; i < s.length() && i < 100; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || c == '"' ? '?' : c);
        }
        if (s.length() > 100) {
            sb.append("...");
        }
        return sb.toString();
    }

    // ---- RequestContext for the selector -----------------------------------------------------------------------

    @Override
    public InetAddress clientAddress() {
        return frontend.clientAddress();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String header(CharSequence name) {
        return request.headers().get(name);
    }

    @Override
    public String cookie(String name) {
        String header = request.headers().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.LAX.decodeAll(header)) {
            if (c.name().equals(name)) {
                return c.value();
            }
        }
        return null;
    }
}
