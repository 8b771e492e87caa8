package com.foobar.balancer.proxy;

import com.foobar.balancer.accesslog.AccessLog;
import com.foobar.balancer.accesslog.AccessLogEntry;
import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.ListenerConfig;
import com.foobar.balancer.events.EventJournal;
import com.foobar.balancer.firewall.Firewall;
import com.foobar.balancer.http.HttpGuards;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.tls.TlsSetupException;
import com.foobar.balancer.tls.TlsTerminator;
import io.netty.handler.ssl.ApplicationProtocolNames;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The security guards of every listener: firewall state (connection counts, token buckets), TLS contexts and the HTTP
 * request guards, made once per balancer start. {@link ProxyInitializer} puts them into each client pipeline;
 * firewall, TLS and limit settings of a listener take effect with a restart, certificate files reload by themselves.
 */
public final class ListenerGuards implements AutoCloseable {

    /** ALPN ids this balancer can serve today; others configured are not offered. */
    static final List<String> SERVABLE_ALPN = List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    private final Map<String, Guards> byListener;

    /** One listener's guards; {@code tls} is null for a plain-HTTP listener. */
    record Guards(Firewall firewall, TlsTerminator tls, HttpGuards http) {
        boolean offersH2() {
            return tls != null && tls.alpn().contains(ApplicationProtocolNames.HTTP_2);
        }

        void closeTls() {
            if (tls != null) {
                tls.close();
            }
        }
    }

    private ListenerGuards(Map<String, Guards> byListener) {
        this.byListener = byListener;
    }

    /**
     * Builds the guards of every listener of {@code config}: firewall state and TLS contexts (making {@code auto}
     * certificates under {@code data_dir}). Prints where a local CA is and how to trust it.
     *
     * @throws TlsSetupException when a certificate cannot be read or made
     */
    public static ListenerGuards create(BalancerConfig config, BalancerMetrics metrics, PrintStream out) {
        return create(config, metrics, AccessLog.OFF, out, EventJournal.toStderr());
    }

    /**
     * As {@link #create(BalancerConfig, BalancerMetrics, PrintStream)}; refused requests go to {@code log}, and what
     * came of a certificate file's change to {@code events}.
     */
    public static ListenerGuards create(BalancerConfig config, BalancerMetrics metrics, AccessLog log,
            PrintStream out, EventJournal events) {
        Map<String, Guards> m = new HashMap<>();
        try {
            for (ListenerConfig lc : config.listeners()) {
                String name = lc.name();
                HttpGuards http = new HttpGuards(lc, (ctx, method, uri, status, bytes) -> {
                    metrics.requestRejected(name, status);
                    if (log.enabled()) {
                        log.log(AccessLogEntry.answeredByBalancer(ctx.channel(), name, method, uri, status, bytes));
                    }
                });
                m.put(name, new Guards(new Firewall(name, lc.firewall(), metrics, log), tls(config, lc, out, events),
                        http));
            }
        } catch (RuntimeException e) {
            m.values().forEach(Guards::closeTls);
            throw e;
        }
        return new ListenerGuards(m);
    }

    private static TlsTerminator tls(BalancerConfig config, ListenerConfig lc, PrintStream out, EventJournal events) {
        if (lc.tls() == null) {
            return null;
        }
        List<String> alpn = new ArrayList<>(lc.tls().alpn());
        alpn.retainAll(SERVABLE_ALPN);
        TlsTerminator tls;
        try {
            tls = TlsTerminator.create(lc.name(), lc.tls(), config.dataDir(), alpn);
        } catch (TlsSetupException e) {
            throw new TlsSetupException("listeners[" + config.listeners().indexOf(lc) + "].tls: " + e.getMessage(), e);
        }
        tls.watch(events);
        out.println(tls.describe());
        if (tls.caCertificate() != null) {
            String host = tls.serverNames().isEmpty() ? "localhost" : tls.serverNames().get(0);
            int port = lc.bind().port();
            out.println("tls: listener " + lc.name() + " uses certificates from the local CA " + tls.caCertificate());
            out.println("     trust it with: curl --cacert " + tls.caCertificate() + " https://" + host
                    + (port == 443 ? "" : ":" + port) + "/");
        }
        return tls;
    }

    /** The TLS side of a listener, or null when it has none (for tests and the startup table). */
    public TlsTerminator tls(String listener) {
        Guards g = byListener.get(listener);
        return g == null ? null : g.tls();
    }

    /** The listener's guards; null for a listener added by a reload, which gets them with the next restart. */
    Guards of(String listener) {
        return byListener.get(listener);
    }

    @Override
    public void close() {
        byListener.values().forEach(Guards::closeTls);
    }
}
