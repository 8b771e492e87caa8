package com.foobar.balancer.proxy;

import com.foobar.balancer.lb.RequestContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;

import java.net.InetAddress;

/**
 * What the balancer reads from a request head, read once: the facts routing, validation, framing and the retry
 * decision need, and the selectors' view of the request ({@link RequestContext}). It changes nothing; the edits for
 * the next hop are {@link HeaderRewriter}'s.
 *
 * <p>An absolute-form target ({@code GET http://host/path}) names the host itself (RFC 9112 3.2.2): {@link #host()}
 * is then that authority and {@link #originTarget()} the path the server is sent.
 */
final class RequestHead implements RequestContext {

    /** What the client's {@code Expect} header asks for. */
    enum Expectation { NONE, CONTINUE, UNSUPPORTED }

    private final HttpRequest request;
    private final InetAddress client;
    private final String method;
    private final String uri;
    private final boolean http10;
    private final boolean keepAlive;
    private final boolean idempotent;
    private final boolean declaredBodyless;
    private final String expect;
    /** What the client asks to switch to ({@code Upgrade} with {@code Connection: upgrade}); null when it does not. */
    private final String upgrade;
    private String host;
    private String path = "/";
    private String originTarget;
    private Refusal refusal;

    RequestHead(HttpRequest request, InetAddress client) {
        this.request = request;
        this.client = client;
        this.method = request.method().name();
        this.uri = request.uri();
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            expect = null;
            http10 = false;
            keepAlive = false;
            idempotent = false;
            declaredBodyless = false;
            upgrade = null;
            refusal = malformed(decoded.cause());
            return;
        }
        http10 = request.protocolVersion().minorVersion() == 0;
        // A body where the method defines none (GET, HEAD, DELETE, OPTIONS) framed by Transfer-Encoding is what request
        // smuggling sends: servers disagree on whether it is there. It is proxied and answered, and the connection then
        // closed, as the strictest proxies do, so nothing read after it is ever taken for the next request.
        keepAlive = HttpUtil.isKeepAlive(request) && !(hasNoBodySemantics(request.method())
                && request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING));
        idempotent = isIdempotent(request.method());
        declaredBodyless = !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;
        host = request.headers().get(HttpHeaderNames.HOST);
        expect = request.headers().get(HttpHeaderNames.EXPECT);
        upgrade = http10 ? null : upgradeAsked(request.headers());
        readTarget();
        if (refusal == null && host == null && !http10) {
            // Closed, as every malformed request: nothing after it on this connection can be trusted to be framed right.
            refusal = Refusal.closing(HttpResponseStatus.BAD_REQUEST, "HTTP/1.1 request without a Host header");
        }
    }

    private void readTarget() {
        if (!uri.isEmpty() && uri.charAt(0) == '/') {
            path = pathOf(uri);
        } else if (uri.regionMatches(true, 0, "http://", 0, 7) || uri.regionMatches(true, 0, "https://", 0, 8)) {
            int authority = uri.indexOf("//") + 2;
            int slash = uri.indexOf('/', authority);
            host = uri.substring(authority, slash < 0 ? uri.length() : slash);
            originTarget = slash < 0 ? "/" : uri.substring(slash);
            path = pathOf(originTarget);
        } else if (!"*".equals(uri)) {
            refusal = Refusal.closing(HttpResponseStatus.BAD_REQUEST,
                    "request target \"" + Refusal.abbreviate(uri) + "\" is not a path");
        }
    }

    private static String pathOf(String target) {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    private static Refusal malformed(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return Refusal.closing(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return Refusal.closing(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large");
        }
        if (cause instanceof TooLongFrameException) {
            return Refusal.closing(HttpResponseStatus.BAD_REQUEST, "request too large");
        }
        return Refusal.closing(HttpResponseStatus.BAD_REQUEST, "malformed request: " + Refusal.oneLine(cause.getMessage()));
    }

    /**
     * The protocol an HTTP/1.1 request asks to switch to (RFC 9110, 7.8): its {@code Upgrade} value when
     * {@code Connection} lists {@code upgrade}; else null. A WebSocket handshake asks for {@code websocket}.
     */
    private static String upgradeAsked(HttpHeaders h) {
        String to = h.get(HttpHeaderNames.UPGRADE);
        if (to == null || to.isBlank()) {
            return null;
        }
        for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                if (token.trim().equalsIgnoreCase("upgrade")) {
                    return to.trim();
                }
            }
        }
        return null;
    }

    /** Methods whose requests have no defined meaning for a body (RFC 9110, 9.3). */
    static boolean hasNoBodySemantics(HttpMethod m) {
        return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.DELETE || m == HttpMethod.OPTIONS;
    }

    /** GET, HEAD, PUT, DELETE, OPTIONS and TRACE: safe to send twice (RFC 9110 9.2.2). */
    static boolean isIdempotent(HttpMethod m) {
        return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.PUT || m == HttpMethod.DELETE
                || m == HttpMethod.OPTIONS || m == HttpMethod.TRACE;
    }

    /** Why the head cannot be proxied at all (malformed, a target that is no path, no Host), or null. */
    Refusal refusal() {
        return refusal;
    }

    /**
     * What {@code Expect} asks for. Judged after routing, as {@link #refusal()} is not: an unsupported expectation of
     * a request no route takes is still answered 404 or 421.
     */
    Expectation expectation() {
        if (expect == null) {
            return Expectation.NONE;
        }
        return HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim()) ? Expectation.CONTINUE
                : Expectation.UNSUPPORTED;
    }

    /** The {@code Expect} header as received, or null. */
    String expectHeader() {
        return expect;
    }

    HttpRequest request() {
        return request;
    }

    /** The method's name, for the log. */
    String method() {
        return method;
    }

    /** The target as received, for the log. */
    String uri() {
        return uri;
    }

    /** Host header, or the authority of an absolute-form target; null when the request has neither. */
    String host() {
        return host;
    }

    /** The origin-form target to send upstream for an absolute-form request; null when the target stays. */
    String originTarget() {
        return originTarget;
    }

    boolean http10() {
        return http10;
    }

    /** The protocol the client asks to switch to ({@code websocket}), or null for an ordinary request. */
    String upgrade() {
        return upgrade;
    }

    /**
     * Whether the connection stays open after this exchange: the client wants it, and the request is not a
     * body-less method with Transfer-Encoding.
     */
    boolean keepAlive() {
        return keepAlive;
    }

    boolean idempotent() {
        return idempotent;
    }

    /** Neither chunked nor a non-zero Content-Length: the head is the whole request. */
    boolean declaredBodyless() {
        return declaredBodyless;
    }

    /** A response to HEAD has no body whatever its headers say. */
    boolean isHead() {
        return request.method() == HttpMethod.HEAD;
    }

    // ---- RequestContext: what a selector may read ----------------------------------------------------------------

    @Override
    public InetAddress clientAddress() {
        return client;
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
