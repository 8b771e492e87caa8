package com.foobar.webapp.net;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * "Web servers accept only the load balancer": a request whose TCP peer is outside the trusted ranges gets 403
 * before anything else runs. {@code /health} stays open to loopback so that local checks keep working.
 */
final class TrustedProxyHandler extends Handler.Wrapper {

    static final String HEALTH_PATH = "/health";
    static final String REASON = "forbidden: this server only accepts requests through its load balancer\n";

    private static final Logger LOG = LoggerFactory.getLogger(TrustedProxyHandler.class);

    private final TrustedProxies proxies;
    private final LongAdder refused = new LongAdder();

    TrustedProxyHandler(TrustedProxies proxies, Handler next) {
        super(next);
        this.proxies = proxies;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        InetSocketAddress peer = Peers.tcpPeer(request);
        InetAddress address = peer == null ? null : peer.getAddress();
        // No ranges: the gate is open, as the default of --trusted-proxies promises.
        if (proxies.isEmpty() || proxies.contains(address)
                || address != null && address.isLoopbackAddress()
                && HEALTH_PATH.equals(request.getHttpURI().getCanonicalPath())) {
            return super.handle(request, response, callback);
        }
        refused.increment();
        LOG.debug("refused {} {} from untrusted peer {}", request.getMethod(), request.getHttpURI().getPath(), peer);
        response.setStatus(HttpStatus.FORBIDDEN_403);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.TEXT_PLAIN_UTF_8.asString());
        Content.Sink.write(response, true, REASON, callback);
        return true;
    }

    /** Requests refused so far. */
    long refusedCount() {
        return refused.sum();
    }
}
