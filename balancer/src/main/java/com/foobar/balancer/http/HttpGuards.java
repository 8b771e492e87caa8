package com.foobar.balancer.http;

import com.foobar.balancer.config.HttpLimitsConfig;
import com.foobar.balancer.config.ListenerConfig;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2StreamChannel;

import java.time.Duration;

/**
 * One listener's HTTP request guards, added to a client pipeline by the proxy's pipeline builder at the places it
 * names: the obs-fold detector in front of the HTTP/1.1 codec (it must see raw header lines), the stall watch in front
 * of an HTTP/2 stream's codec, the request checks right behind the codec, and the https redirect last, in front of the
 * proxy. Handlers whose state belongs to a listener (HSTS, redirect) are made once here and shared.
 */
public final class HttpGuards {

    /** Pipeline names of the handlers added here. */
    public static final String OBS_FOLD = "http-obs-fold";
    public static final String HSTS = "hsts";
    public static final String STRICT = "http-strict";
    public static final String UNDERSCORES = "http-underscores";
    public static final String BODY_LIMIT = "http-body-limit";
    public static final String REDIRECT = "https-redirect";
    /** On an HTTP/2 stream: resets a stream whose request body stalls. */
    public static final String H2_STREAM_STALL = "h2-stream-stall";

    private final HttpLimitsConfig limits;
    private final RejectionListener rejections;
    private final HstsHandler hsts;
    private final RedirectToHttpsHandler redirect;

    public HttpGuards(ListenerConfig listener, RejectionListener rejections) {
        this.limits = listener.limits();
        this.rejections = rejections;
        this.hsts = listener.hsts() == null ? null : new HstsHandler(listener.hsts());
        this.redirect = listener.redirectToHttps() == ListenerConfig.NO_REDIRECT ? null
                : new RedirectToHttpsHandler(listener.redirectToHttps());
    }

    /** In front of an HTTP/1.1 codec. HTTP/2 has none: its HPACK decoder already refuses CR, LF and NUL in values. */
    public void addObsFoldDetector(ChannelPipeline p) {
        p.addLast(OBS_FOLD, new ObsFoldDetector(rejections));
    }

    /** In front of an HTTP/2 stream's codec: a stream whose request body stalls for {@code idle} is reset. */
    public void addStreamStallHandler(ChannelPipeline p, Duration idle) {
        p.addLast(H2_STREAM_STALL, new Http2StreamStallHandler(idle));
    }

    /**
     * Right behind the codec, in this order: HSTS on the responses, then the checks each request passes (strict
     * syntax, underscores in header names, body size). An HTTP/1.1 connection's strict check reads what the obs-fold
     * detector in front of the codec saw.
     */
    public void addRequestChecks(ChannelPipeline p) {
        boolean stream = p.channel() instanceof Http2StreamChannel;
        if (hsts != null) {
            p.addLast(HSTS, hsts);
        }
        // The HTTP/1.1 decoder already bounds the request line; an HTTP/2 :path is bounded here.
        p.addLast(STRICT, new StrictRequestHandler(rejections, p.get(ObsFoldDetector.class),
                stream ? limits.maxRequestLine() : StrictRequestHandler.DECODER_CHECKS_TARGET));
        if (limits.underscores() != HttpLimitsConfig.UnderscorePolicy.ALLOW) {
            p.addLast(UNDERSCORES, new UnderscoreHeadersHandler(limits.underscores(), rejections));
        }
        if (limits.maxBodySize() != HttpLimitsConfig.NO_BODY_LIMIT) {
            p.addLast(BODY_LIMIT, new BodySizeLimitHandler(limits.maxBodySize(), rejections));
        }
    }

    /** Last in front of the proxy: a plain-HTTP listener that redirects answers every request with 308 to https. */
    public void addRedirect(ChannelPipeline p) {
        if (redirect != null) {
            p.addLast(REDIRECT, redirect);
        }
    }
}
