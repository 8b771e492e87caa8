package com.foobar.balancer.http;

import com.foobar.balancer.accesslog.AccessLog;
import com.foobar.balancer.accesslog.AccessLogEntry;
import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.ClientTimeouts;
import com.foobar.balancer.config.HttpLimitsConfig;
import com.foobar.balancer.config.ListenerConfig;
import com.foobar.balancer.firewall.Firewall;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.proxy.ClientPipelineConfigurer;
import com.foobar.balancer.proxy.ProxyAttributes;
import com.foobar.balancer.proxy.ProxyListener;
import com.foobar.balancer.tls.TlsSetupException;
import com.foobar.balancer.tls.TlsTerminator;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the security guards into each client pipeline the proxy builds, in this order:
 * <pre>
 *   firewall-acl  firewall-connection-limit  tls  client-timeouts  http-obs-fold  http  http-strict
 *   firewall-rate-limit  firewall-forwarded-headers  http-underscores  http-body-limit  [https-redirect]  proxy
 *   (+ hsts, outbound, right behind http)
 * </pre>
 * The accept-time guards see a connection before TLS spends a handshake on it; the request guards see a decoded
 * request before the proxy picks a server. Made once per balancer start; firewall, TLS and limit settings of a
 * listener take effect with a restart, certificate files reload by themselves.
 */
public final class ListenerPipelines implements ClientPipelineConfigurer, AutoCloseable {

    public static final String HSTS = "hsts";
    public static final String UNDERSCORES = "http-underscores";
    public static final String BODY_LIMIT = "http-body-limit";
    public static final String REDIRECT = "https-redirect";
    public static final String OBS_FOLD = "http-obs-fold";
    public static final String STRICT = "http-strict";
    /** ALPN ids this balancer can serve today; others configured are not offered. */
    static final List<String> SERVABLE_ALPN = List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
    public static final String ALPN = "alpn";
    /** On an HTTP/2 stream: resets a stream whose request body stalls. */
    public static final String H2_STREAM_STALL = "h2-stream-stall";

    private final Map<String, Guards> byListener;

    private record Guards(ListenerConfig config, Firewall firewall, TlsTerminator tls, HstsHandler hsts,
            RedirectToHttpsHandler redirect, RejectionListener rejections) {
    }

    private ListenerPipelines(Map<String, Guards> byListener) {
        this.byListener = byListener;
    }

    /**
     * Builds the guards of every listener of {@code config}: firewall state and TLS contexts (making {@code auto}
     * certificates under {@code data_dir}). Prints where a local CA is and how to trust it.
     *
     * @throws com.foobar.balancer.tls.TlsSetupException when a certificate cannot be read or made
     */
    public static ListenerPipelines create(BalancerConfig config, BalancerMetrics metrics, PrintStream out) {
        return create(config, metrics, AccessLog.OFF, out);
    }

    /** As {@link #create(BalancerConfig, BalancerMetrics, PrintStream)}, and refused requests go to {@code log}. */
    public static ListenerPipelines create(BalancerConfig config, BalancerMetrics metrics, AccessLog log,
            PrintStream out) {
        Map<String, Guards> m = new HashMap<>();
        try {
            for (ListenerConfig lc : config.listeners()) {
                TlsTerminator tls = null;
                if (lc.tls() != null) {
                    List<String> alpn = new ArrayList<>(lc.tls().alpn());
                    alpn.retainAll(SERVABLE_ALPN);
                    try {
                        tls = TlsTerminator.create(lc.name(), lc.tls(), config.dataDir(), alpn);
                    } catch (TlsSetupException e) {
                        throw new TlsSetupException("listeners[" + config.listeners().indexOf(lc) + "].tls: "
                                + e.getMessage(), e);
                    }
                    tls.watch();
                    if (tls.caCertificate() != null) {
                        String host = tls.serverNames().isEmpty() ? "localhost" : tls.serverNames().get(0);
                        int port = lc.bind().port();
                        out.println("tls: listener " + lc.name() + " uses certificates from the local CA "
                                + tls.caCertificate());
                        out.println("     trust it with: curl --cacert " + tls.caCertificate() + " https://"
                                + host + (port == 443 ? "" : ":" + port) + "/");
                    }
                }
                String name = lc.name();
                m.put(name, new Guards(lc, new Firewall(name, lc.firewall(), metrics, log), tls,
                        lc.hsts() == null ? null : new HstsHandler(lc.hsts()),
                        lc.redirectToHttps() == ListenerConfig.NO_REDIRECT ? null
                                : new RedirectToHttpsHandler(lc.redirectToHttps()),
                        (ctx, method, uri, status, bytes) -> {
                            metrics.requestRejected(name, status);
                            if (log.enabled()) {
                                log.log(AccessLogEntry.answeredByBalancer(ctx.channel(), name, method, uri, status,
                                        bytes));
                            }
                        }));
            }
        } catch (RuntimeException e) {
            m.values().forEach(g -> {
                if (g.tls() != null) {
                    g.tls().close();
                }
            });
            throw e;
        }
        return new ListenerPipelines(m);
    }

    /** The TLS side of a listener, or null when it has none (for tests and the startup table). */
    public TlsTerminator tls(String listener) {
        Guards g = byListener.get(listener);
        return g == null ? null : g.tls();
    }

    @Override
    public void configure(ChannelPipeline p, ListenerConfig listener) {
        Guards g = byListener.get(listener.name());
        if (g == null) {
            return; // a listener added by a reload runs only after a restart, and then it has guards
        }
        HttpLimitsConfig limits = g.config().limits();
        boolean stream = p.channel() instanceof Http2StreamChannel;
        if (!stream && (limits.maxRequestLine() != HttpLimitsConfig.DEFAULT_MAX_REQUEST_LINE
                || limits.maxHeaderSize() != HttpLimitsConfig.DEFAULT_MAX_HEADER_SIZE)) {
            p.replace(ProxyListener.HTTP_CODEC, ProxyListener.HTTP_CODEC, new HttpServerCodec(ProxyListener.decoderConfig()
                    .setMaxInitialLineLength(limits.maxRequestLine())
                    .setMaxHeaderSize(limits.maxHeaderSize())));
        }
        // addAfter(codec) puts each one right behind the codec, so they are added last-first.
        if (g.redirect() != null) {
            p.addBefore(ProxyListener.PROXY, REDIRECT, g.redirect());
        }
        if (limits.maxBodySize() != HttpLimitsConfig.NO_BODY_LIMIT) {
            p.addAfter(ProxyListener.HTTP_CODEC, BODY_LIMIT,
                    new BodySizeLimitHandler(limits.maxBodySize(), g.rejections()));
        }
        if (limits.underscores() != HttpLimitsConfig.UnderscorePolicy.ALLOW) {
            p.addAfter(ProxyListener.HTTP_CODEC, UNDERSCORES,
                    new UnderscoreHeadersHandler(limits.underscores(), g.rejections()));
        }
        g.firewall().installRequestGuards(p, ProxyListener.HTTP_CODEC);
        ObsFoldDetector folds = null;
        if (!stream) {
            // HTTP/2 has no line folding: its HPACK decoder already refuses CR, LF and NUL in header values.
            folds = new ObsFoldDetector(g.rejections());
            p.addBefore(ProxyListener.HTTP_CODEC, OBS_FOLD, folds);
        }
        p.addAfter(ProxyListener.HTTP_CODEC, STRICT, new StrictRequestHandler(g.rejections(), folds,
                stream ? limits.maxRequestLine() : StrictRequestHandler.DECODER_CHECKS_TARGET));
        if (stream) {
            ClientTimeouts timeouts = ((Http2StreamChannel) p.channel()).parent()
                    .attr(ProxyAttributes.CLIENT_TIMEOUTS).get();
            p.addAfter(ProxyListener.H2_STREAM_CODEC, H2_STREAM_STALL,
                    new Http2StreamStallHandler(timeouts == null ? ClientTimeouts.DEFAULT_IDLE : timeouts.idle()));
        }
        if (g.hsts() != null) {
            p.addAfter(ProxyListener.HTTP_CODEC, HSTS, g.hsts());
        }
        if (g.tls() != null) {
            p.channel().attr(ProxyAttributes.FORWARDED_PROTO).set("https");
            if (stream) {
                return; // TLS and the connection guards are the parent connection's
            }
            g.tls().install(p);
            if (g.tls().alpn().contains(ApplicationProtocolNames.HTTP_2)) {
                p.addAfter(TlsTerminator.TLS, ALPN, new Http2Negotiator(limits, g.config().http2()));
            }
        }
        if (!stream) {
            g.firewall().installConnectionGuards(p);
        }
    }

    @Override
    public void close() {
        for (Guards g : byListener.values()) {
            if (g.tls() != null) {
                g.tls().close();
            }
        }
    }
}
