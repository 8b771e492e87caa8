package com.foobar.balancer.firewall;

import com.foobar.balancer.accesslog.AccessLog;
import com.foobar.balancer.config.AdminConfig;
import com.foobar.balancer.config.FirewallConfig;
import com.foobar.balancer.metrics.BalancerMetrics;
import io.netty.channel.ChannelPipeline;

/**
 * One listener's firewall: the connection ACL and per-address connection limit (first in the pipeline, they act at
 * accept) and the rate limit and forwarding-header policy (behind the HTTP codec, they act per request). State such
 * as connection counts and token buckets is shared by all the listener's connections.
 */
public final class Firewall {

    /** Pipeline names of the handlers this installs. */
    public static final String ACL = "firewall-acl";
    public static final String CONNECTION_LIMIT = "firewall-connection-limit";
    public static final String RATE_LIMIT = "firewall-rate-limit";
    public static final String FORWARDED_HEADERS = "firewall-forwarded-headers";

    private final String listener;
    private final FirewallConfig config;
    private final BalancerMetrics metrics;
    private final AccessLog log;
    private final ConnectionsPerIp perIp;
    private final TokenBuckets buckets;
    private final ForwardedHeadersHandler forwarded;

    public Firewall(String listener, FirewallConfig config, BalancerMetrics metrics) {
        this(listener, config, metrics, AccessLog.OFF);
    }

    /** With {@code log}, the requests the rate limit answers 429 are written to the access log. */
    public Firewall(String listener, FirewallConfig config, BalancerMetrics metrics, AccessLog log) {
        this.listener = listener;
        this.config = config;
        this.metrics = metrics;
        this.log = log;
        this.perIp = config.maxConnectionsPerIp() == FirewallConfig.UNLIMITED ? null
                : new ConnectionsPerIp(config.maxConnectionsPerIp());
        this.buckets = config.rateLimit() == null ? null : new TokenBuckets(config.rateLimit(), System::nanoTime);
        this.forwarded = new ForwardedHeadersHandler(config);
    }

    public FirewallConfig config() {
        return config;
    }

    /** Adds the accept-time handlers last to {@code pipeline}: the ACL first, so a denied address takes no slot. */
    public void addConnectionGuards(ChannelPipeline pipeline) {
        if (!config.admitsAll()) {
            pipeline.addLast(ACL, new AccessControlHandler(config::admits, metrics, listener));
        }
        if (perIp != null) {
            pipeline.addLast(CONNECTION_LIMIT, new ConnectionLimitHandler(perIp, metrics, listener));
        }
    }

    /** Adds the per-request handlers last to {@code pipeline}: the rate limit first, then the header policy. */
    public void addRequestGuards(ChannelPipeline pipeline) {
        if (buckets != null) {
            pipeline.addLast(RATE_LIMIT, new RateLimitHandler(buckets, metrics, log, listener));
        }
        pipeline.addLast(FORWARDED_HEADERS, forwarded);
    }

    /** The admin listener's ACL handler (loopback only unless configured otherwise). */
    public static void installAdminGuard(ChannelPipeline pipeline, AdminConfig admin, BalancerMetrics metrics) {
        pipeline.addFirst(ACL, new AccessControlHandler(admin::admits, metrics, "admin"));
    }
}
