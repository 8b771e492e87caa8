package com.foobar.balancer.proxy;

import com.foobar.balancer.accesslog.AccessLog;
import com.foobar.balancer.config.ClientTimeouts;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.transport.Transport;
import com.foobar.balancer.upstream.Upstreams;

import java.util.Objects;

/** What every listener of one balancer shares: upstream state, metrics, the access log and the upstream connections. */
public final class ProxyContext {

    private final Upstreams upstreams;
    private final BalancerMetrics metrics;
    private final AccessLog accessLog;
    private final Transport transport;
    private final UpstreamConnector connector;
    private volatile ClientTimeouts clientTimeouts;

    public ProxyContext(Upstreams upstreams, BalancerMetrics metrics, AccessLog accessLog, Transport transport,
            ClientTimeouts clientTimeouts) {
        this(upstreams, metrics, accessLog, transport, clientTimeouts,
                new UpstreamConnections(Objects.requireNonNull(transport, "transport"), metrics));
    }

    /** With connections made elsewhere: the exchange's unit tests hand it channels of their own. */
    ProxyContext(Upstreams upstreams, BalancerMetrics metrics, AccessLog accessLog, Transport transport,
            ClientTimeouts clientTimeouts, UpstreamConnector connector) {
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clientTimeouts = Objects.requireNonNull(clientTimeouts, "clientTimeouts");
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    public Upstreams upstreams() {
        return upstreams;
    }

    public BalancerMetrics metrics() {
        return metrics;
    }

    public AccessLog accessLog() {
        return accessLog;
    }

    public Transport transport() {
        return transport;
    }

    public ClientTimeouts clientTimeouts() {
        return clientTimeouts;
    }

    /** New client connections use these timeouts; connections already open keep theirs. */
    public void clientTimeouts(ClientTimeouts timeouts) {
        this.clientTimeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    UpstreamConnector connector() {
        return connector;
    }
}
