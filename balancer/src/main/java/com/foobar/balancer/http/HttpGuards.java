package com.foobar.balancer.http;

import com.foobar.balancer.config.HttpLimitsConfig;
import com.foobar.balancer.config.ListenerConfig;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2StreamChannel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
    /** Every request head's checks, in one handler: strict syntax, then underscores in header names. */
    public static final String CHECKS = "http-checks";
    public static final String BODY_LIMIT = "http-body-limit";
    public static final String REDIRECT = "https-redirect";
    /** On an HTTP/2 stream: resets a stream whose request body stalls or whose response cannot be sent. */
    public static final String H2_STREAM_STALL = "h2-stream-stall";

    private final HttpLimitsConfig limits;
    private final RejectionListener rejections;
    private final HstsHandler hsts;
    private final RedirectToHttpsHandler redirect;
    private final List<HeadCheck> connectionChecks;
    private final List<HeadCheck> streamChecks;

    public HttpGuards(ListenerConfig listener, RejectionListener rejections) {
        this.limits = listener.limits();
        this.rejections = rejections;
        this.hsts = listener.hsts() == null ? null : new HstsHandler(listener.hsts());
        this.redirect = listener.redirectToHttps() == ListenerConfig.NO_REDIRECT ? null
                : new RedirectToHttpsHandler(listener.redirectToHttps());
        this.connectionChecks = checks(limits, StrictSyntaxCheck.DECODER_CHECKS_TARGET);
        this.streamChecks = checks(limits, limits.maxRequestLine());
    }

    /** In front of an HTTP/1.1 codec. HTTP/2 has none: its HPACK decoder already refuses CR, LF and NUL in values. */
    public void addObsFoldDetector(ChannelPipeline p) {
        p.addLast(OBS_FOLD, new ObsFoldDetector(rejections));
    }

    /**
     * In front of an HTTP/2 stream's codec: a stream whose request body stalls for {@code idle}, or whose client opens
     * no window for its response for {@code send}, is reset.
     */
    public void addStreamStallHandler(ChannelPipeline p, Duration idle, Duration send) {
        p.addLast(H2_STREAM_STALL, new Http2StreamStallHandler(idle, send));
    }

    /**
     * Right behind the codec, in this order: HSTS on the responses, then the checks each request head passes (strict
     * syntax, underscores in header names) as one handler, then the body size. An HTTP/1.1 connection's checks re-arm
     * the obs-fold detector in front of the codec.
     */
    public void addRequestChecks(ChannelPipeline p) {
        boolean stream = p.channel() instanceof Http2StreamChannel;
        if (hsts != null) {
            p.addLast(HSTS, hsts);
        }
        p.addLast(CHECKS, new RequestChecksHandler(rejections, stream ? streamChecks : connectionChecks,
                p.get(ObsFoldDetector.class)));
        if (limits.maxBodySize() != HttpLimitsConfig.NO_BODY_LIMIT) {
            p.addLast(BODY_LIMIT, new BodySizeLimitHandler(limits.maxBodySize(), rejections));
        }
    }

    /** A listener's head checks, made once: the HTTP/1.1 decoder bounds the request line, an HTTP/2 :path is here. */
    private static List<HeadCheck> checks(HttpLimitsConfig limits, int maxTarget) {
        List<HeadCheck> checks = new ArrayList<>(2);
        checks.add(new StrictSyntaxCheck(maxTarget));
        if (limits.underscores() != HttpLimitsConfig.UnderscorePolicy.ALLOW) {
            checks.add(new UnderscoreCheck(limits.underscores()));
        }
        return List.copyOf(checks);
    }

    /** Last in front of the proxy: a plain-HTTP listener that redirects answers every request with 308 to https. */
    public void addRedirect(ChannelPipeline p) {
        if (redirect != null) {
            p.addLast(REDIRECT, redirect);
        }
    }
}
