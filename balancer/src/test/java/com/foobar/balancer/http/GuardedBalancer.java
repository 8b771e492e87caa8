package com.foobar.balancer.http;

import com.foobar.balancer.accesslog.AccessLog;
import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.config.ListenerConfig;
import com.foobar.balancer.events.EventJournal;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.proxy.ListenerGuards;
import com.foobar.balancer.proxy.ProxyContext;
import com.foobar.balancer.proxy.ProxyListener;
import com.foobar.balancer.transport.Transport;
import com.foobar.balancer.upstream.Upstreams;
import io.netty.channel.EventLoopGroup;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real proxy listeners of a YAML configuration with {@link ListenerGuards} installed, on ephemeral loopback
 * ports: what {@code Balancer} runs, minus reload and admin.
 */
public final class GuardedBalancer implements AutoCloseable {

    private final EventLoopGroup group;
    private final BalancerMetrics metrics = new BalancerMetrics();
    private final Upstreams upstreams;
    private final ListenerGuards guards;
    private final Map<String, ProxyListener> listeners = new LinkedHashMap<>();
    private final String printed;
    private final EventJournal events = new EventJournal(System.err, java.time.Clock.systemUTC());

    private GuardedBalancer(BalancerConfig config) {
        Transport transport = Transport.best();
        group = transport.newGroup(2, "guarded-test");
        upstreams = Upstreams.start(config, metrics, events, group);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            guards = ListenerGuards.create(config, metrics, AccessLog.OFF, new PrintStream(out, true,
                    StandardCharsets.UTF_8), events);
        } catch (RuntimeException e) {
            upstreams.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            throw e;
        }
        printed = out.toString(StandardCharsets.UTF_8);
        ProxyContext proxy = new ProxyContext(upstreams, metrics, AccessLog.OFF, transport, config.clientTimeouts());
        for (ListenerConfig lc : config.listeners()) {
            listeners.put(lc.name(), ProxyListener.start(lc, proxy, group, guards));
        }
    }

    public static GuardedBalancer start(String yaml) throws Exception {
        return new GuardedBalancer(ConfigLoader.parse(yaml));
    }

    public InetSocketAddress address(String listener) {
        return listeners.get(listener).localAddress();
    }

    public BalancerMetrics metrics() {
        return metrics;
    }

    public ListenerGuards guards() {
        return guards;
    }

    /** What the balancer's events say: server state changes, certificate reloads. */
    public EventJournal events() {
        return events;
    }

    /** What the start printed (the local CA hint). */
    public String printed() {
        return printed;
    }

    /** The value of one Prometheus sample line starting with {@code prefix}, or -1. */
    public double sample(String prefix) {
        for (String line : metrics.scrape().split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    /** Drains {@code listener} as a SIGTERM would, in the background: stop accepting, finish, close. */
    public Thread drain(String listener, java.time.Duration grace) {
        Thread t = new Thread(() -> listeners.get(listener).shutdownGracefully(grace), "drain-" + listener);
        t.start();
        return t;
    }

    @Override
    public void close() {
        listeners.values().forEach(ProxyListener::close);
        guards.close();
        upstreams.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
