package com.foobar.balancer.proxy;

import com.foobar.balancer.accesslog.AccessLogEntry;
import com.foobar.balancer.config.ProxyHeadersConfig;
import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every header edit the proxy makes, in one place: a request on its way to a server ({@link #toUpstream}: origin-form
 * target, hop-by-hop headers out, re-framing, the forwarding headers a pool asks for) and a response on its way back
 * ({@link #toClient}: hop-by-hop headers out, the framing the client's connection needs, {@code Via}, the request id).
 * The rules are RFC 9110 7.6 (hop-by-hop fields, {@code Via}) and RFC 9112 6-9 (framing, persistence).
 */
final class HeaderRewriter {

    /** Not a standard header name in Netty any more (deprecated there), but still sent by HTTP/1.0 clients. */
    static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    static final AsciiString X_FORWARDED_PORT = AsciiString.cached("x-forwarded-port");
    static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");
    static final String VIA_TOKEN = "foobar-balancer";
    static final String VIA_11 = "1.1 " + VIA_TOKEN;
    static final String VIA_10 = "1.0 " + VIA_TOKEN;
    static final int MAX_REQUEST_ID_LENGTH = 128;

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /**
     * Header maps for both codecs: names from the wire are validated as Netty does, but the names this proxy sets
     * itself (constants, checked once here) skip the per-call token scan, which showed in profiles of small requests.
     */
    static final HttpHeadersFactory HEADERS = headersFactory();

    private HeaderRewriter() {
    }

    /**
     * Makes {@code head}'s request fit to send to a server: origin form (an absolute-form target's authority becomes
     * the Host), no {@code Expect} (the balancer answers {@code 100 Continue} itself), no hop-by-hop headers,
     * HTTP/1.1, and the forwarding headers {@code config} asks for.
     *
     * @return the request id forwarded, or {@link AccessLogEntry#NONE} when the pool sends none
     */
    static String toUpstream(RequestHead head, ProxyHeadersConfig config, String clientIp, String scheme,
            String listenerPort) {
        HttpRequest request = head.request();
        HttpHeaders h = request.headers();
        if (head.originTarget() != null) {
            request.setUri(head.originTarget());
            h.set(HttpHeaderNames.HOST, head.host());
        }
        if (head.expectation() == RequestHead.Expectation.CONTINUE) {
            h.remove(HttpHeaderNames.EXPECT);
        }
        if (removeHopByHop(request)) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (head.upgrade() != null) {
            // The one hop-by-hop request that goes on: the server answers the switch, the balancer then splices.
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE).set(HttpHeaderNames.UPGRADE, head.upgrade());
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        String requestId = config.requestId() ? ensureRequestId(h) : AccessLogEntry.NONE;
        if (config.forwardedFor()) {
            appendForwardedFor(h, clientIp);
        }
        if (config.forwardedProto()) {
            h.set(X_FORWARDED_PROTO, scheme);
        }
        if (config.forwardedHost() && head.host() != null) {
            h.set(X_FORWARDED_HOST, head.host());
        }
        if (config.forwardedPort()) {
            h.set(X_FORWARDED_PORT, listenerPort);
        }
        if (config.via()) {
            appendVia(h, head.http10() ? "1.0" : "1.1");
        }
        return requestId;
    }

    /**
     * Makes a server's {@code 101 Switching Protocols} fit for the client: hop-by-hop headers go, but the switch the
     * server agreed to ({@code Connection: upgrade}, its {@code Upgrade}) is what the client must see; {@code Via}
     * and the request id are added as on any response.
     */
    static void switchToClient(HttpResponse r, ProxyHeadersConfig config, String requestId) {
        HttpHeaders h = r.headers();
        String to = h.get(HttpHeaderNames.UPGRADE);
        removeHopByHop(r);
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        if (to != null) {
            h.set(HttpHeaderNames.UPGRADE, to);
        }
        if (config.via()) {
            appendVia(h, "1.1");
        }
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (config.requestId() && !h.contains(X_REQUEST_ID)) {
            h.set(X_REQUEST_ID, requestId);
        }
    }

    /**
     * Makes a server's response head fit for the client and decides what its framing leaves of both connections: a
     * body the server delimits by closing is chunked for an HTTP/1.1 client (and ends an HTTP/1.0 client's connection),
     * {@code Connection} says what happens to the client connection, {@code Via} and the request id are added.
     *
     * @param closeClient the client connection closes after this exchange whatever the response says (the client
     *                    asked for it, or the balancer is draining)
     */
    static ResponseFraming toClient(HttpResponse r, RequestHead head, ProxyHeadersConfig config, String requestId,
            boolean closeClient) {
        int status = r.status().code();
        boolean upstreamReusable = HttpUtil.isKeepAlive(r);
        boolean bodyless = head.isHead() || status == 204 || status == 304;
        boolean hasLength = HttpUtil.isContentLengthSet(r);
        HttpHeaders h = r.headers();
        boolean chunked = removeHopByHop(r);
        boolean http10 = head.http10();
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
                closeClient = true;
            } else {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        if (closeClient) {
            if (!http10) {
                h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        } else if (http10) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        if (config.via()) {
            appendVia(h, r.protocolVersion().minorVersion() == 0 ? "1.0" : "1.1");
        }
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (config.requestId() && !h.contains(X_REQUEST_ID)) {
            h.set(X_REQUEST_ID, requestId);
        }
        return ResponseFraming.of(upstreamReusable, closeClient);
    }

    private static HttpHeadersFactory headersFactory() {
        DefaultHttpHeadersFactory base = DefaultHttpHeadersFactory.headersFactory();
        DefaultHeaders.NameValidator<CharSequence> wire = base.getNameValidator();
        AsciiString[] ours = {X_FORWARDED_FOR, X_FORWARDED_PROTO, X_FORWARDED_HOST, X_FORWARDED_PORT, X_REQUEST_ID,
                HttpHeaderNames.VIA, HttpHeaderNames.HOST, HttpHeaderNames.TRANSFER_ENCODING,
                HttpHeaderNames.CONNECTION};
        for (AsciiString n : ours) {
            wire.validateName(n);
        }
        return base.withNameValidator(name -> {
            for (AsciiString n : ours) {
                if (name == n) {
                    return;
                }
            }
            wire.validateName(name);
        });
    }

    /**
     * Removes hop-by-hop headers: Connection and every header it names, Keep-Alive, Proxy-*, TE, Trailer, Upgrade and
     * Transfer-Encoding. Returns whether the message was chunked, so the caller can re-frame it for the next hop.
     */
    static boolean removeHopByHop(HttpMessage message) {
        HttpHeaders h = message.headers();
        // One pass over the few headers a message has finds what is there; most messages carry none of these, and
        // then no lookup or removal runs at all.
        boolean hopByHop = false;
        List<String> proxyNames = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            int len = name.length();
            if (len >= 6 && AsciiString.regionMatches(name, true, 0, "proxy-", 0, 6)) {
                if (proxyNames == null) {
                    proxyNames = new ArrayList<>(2);
                }
                proxyNames.add(name.toString());
            } else if (!hopByHop && isHopByHopName(name, len)) {
                hopByHop = true;
            }
        }
        if (proxyNames != null) {
            for (String n : proxyNames) {
                h.remove(n);
            }
        }
        if (!hopByHop) {
            return false;
        }
        boolean chunked = false;
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            chunked = h.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true);
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        }
        if (h.contains(HttpHeaderNames.CONNECTION)) {
            for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
                removeNamedBy(h, value);
            }
            h.remove(HttpHeaderNames.CONNECTION);
        }
        h.remove(KEEP_ALIVE);
        h.remove(HttpHeaderNames.TE);
        h.remove(HttpHeaderNames.TRAILER);
        h.remove(HttpHeaderNames.UPGRADE);
        return chunked;
    }

    private static boolean isHopByHopName(CharSequence name, int len) {
        switch (len) {
            case 2:
                return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TE);
            case 7:
                return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRAILER)
                        || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.UPGRADE);
            case 10:
                return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)
                        || AsciiString.contentEqualsIgnoreCase(name, KEEP_ALIVE);
            case 17:
                return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRANSFER_ENCODING);
            default:
                return false;
        }
    }

    private static void removeNamedBy(HttpHeaders h, String connectionValue) {
        int start = 0;
        int len = connectionValue.length();
        while (start < len) {
            int comma = connectionValue.indexOf(',', start);
            int end = comma < 0 ? len : comma;
            String token = connectionValue.substring(start, end).trim();
            // "close" and "keep-alive" are options, not header names; removing them is harmless either way.
            if (!token.isEmpty()) {
                h.remove(token);
            }
            start = end + 1;
        }
    }

    /** Appends {@code ip} to X-Forwarded-For, folding repeated header lines into one. */
    static void appendForwardedFor(HttpHeaders h, String ip) {
        if (!h.contains(X_FORWARDED_FOR)) {
            h.set(X_FORWARDED_FOR, ip);
            return;
        }
        List<String> existing = h.getAll(X_FORWARDED_FOR);
        StringBuilder sb = new StringBuilder(64);
        for (String v : existing) {
            sb.append(v).append(", ");
        }
        h.set(X_FORWARDED_FOR, sb.append(ip).toString());
    }

    /** Appends this proxy to Via, as {@code 1.1 foobar-balancer}. */
    static void appendVia(HttpHeaders h, String protocolVersion) {
        String ours = "1.1".equals(protocolVersion) ? VIA_11 : "1.0".equals(protocolVersion) ? VIA_10
                : protocolVersion + ' ' + VIA_TOKEN;
        if (!h.contains(HttpHeaderNames.VIA)) {
            h.set(HttpHeaderNames.VIA, ours);
            return;
        }
        List<String> existing = h.getAll(HttpHeaderNames.VIA);
        StringBuilder sb = new StringBuilder(64);
        for (String v : existing) {
            sb.append(v).append(", ");
        }
        h.set(HttpHeaderNames.VIA, sb.append(ours).toString());
    }

    /** Keeps a sane client X-Request-Id, replaces anything else with a fresh one; returns the id forwarded. */
    static String ensureRequestId(HttpHeaders h) {
        String id0 = h.get(X_REQUEST_ID);
        if (id0 != null && isSaneRequestId(id0) && h.getAll(X_REQUEST_ID).size() == 1) {
            return id0;
        }
        String id = newRequestId();
        h.set(X_REQUEST_ID, id);
        return id;
    }

    /** 1 to 128 characters of letters, digits and {@code - _ . : + / =} (UUIDs, base64, trace ids). */
    static boolean isSaneRequestId(String id) {
        int len = id.length();
        if (len == 0 || len > MAX_REQUEST_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':' || c == '+' || c == '/' || c == '=';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** 128 random bits as 32 hex digits. */
    static String newRequestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        // Latin-1 bytes become a compact String by a plain copy; a char[] would be compressed char by char.
        byte[] out = new byte[32];
        long hi = r.nextLong();
        long lo = r.nextLong();
        for (int i = 0; i < 16; i++) {
            out[i] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xf];
            out[16 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xf];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
