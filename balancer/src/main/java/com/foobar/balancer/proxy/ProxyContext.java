package com.foobar.balancer.proxy;

import com.foobar.balancer.accesslog.AccessLog;
import com.foobar.balancer.config.ClientTimeouts;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.transport.Transport;
import com.foobar.balancer.upstream.Upstreams;

import java.util.Objects;

/** What every listener of one balancer shares: upstream state, metrics, the access log and the connection pools. */
public final class ProxyContext {

    private final Upstreams upstreams;
    private final BalancerMetrics metrics;
    private final AccessLog accessLog;
    private final Transport transport;
    private final BackendConnectionPools connections;
    private volatile ClientTimeouts clientTimeouts;

    public ProxyContext(Upstreams upstreams, BalancerMetrics metrics, AccessLog accessLog, Transport transport,
            ClientTimeouts clientTimeouts) {
        this.upstreams = Objects.requireNonNull(upstreams, "upstreams");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clientTimeouts = Objects.requireNonNull(clientTimeouts, "clientTimeouts");
        this.connections = new BackendConnectionPools(metrics);
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

    BackendConnectionPools connections() {
        return connections;
    }
}
