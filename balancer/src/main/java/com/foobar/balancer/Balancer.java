package com.foobar.balancer;

import com.foobar.balancer.accesslog.AccessLog;
import com.foobar.balancer.admin.AdminServer;
import com.foobar.balancer.config.AccessLogConfig;
import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.ConfigException;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.config.HostPort;
import com.foobar.balancer.config.ListenerConfig;
import com.foobar.balancer.config.PoolConfig;
import com.foobar.balancer.config.ServerConfig;
import com.foobar.balancer.discovery.ResolvedAddress;
import com.foobar.balancer.events.EventJournal;
import com.foobar.balancer.metrics.BalancerMetrics;
import com.foobar.balancer.proxy.ListenerBindException;
import com.foobar.balancer.proxy.ListenerGuards;
import com.foobar.balancer.proxy.ProxyContext;
import com.foobar.balancer.proxy.ProxyListener;
import com.foobar.balancer.transport.Transport;
import com.foobar.balancer.upstream.ReloadReport;
import com.foobar.balancer.upstream.UpstreamPool;
import com.foobar.balancer.upstream.UpstreamServer;
import com.foobar.balancer.upstream.Upstreams;
import io.netty.channel.EventLoopGroup;
import io.netty.util.NetUtil;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running balancer: event loops, upstream state with its health checks, the proxy listeners, the admin listener and
 * (with a configuration file) a watcher that reloads the file when it changes. Start with {@link #start}; stop with
 * {@link #close}, which lets requests in flight finish for up to {@link #DEFAULT_GRACE}.
 */
public final class Balancer implements AutoCloseable {

    /** How long a stop waits for requests in flight. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    private final Transport transport;
    private final EventLoopGroup workers;
    private final int workerThreads;
    private final BalancerMetrics metrics;
    private final AccessLog accessLog;
    /** What {@link #accessLog} was opened from: changing it takes a restart, so a reload does not change this. */
    private final AccessLogConfig accessLogConfig;
    private final Upstreams upstreams;
    private final ProxyContext proxy;
    private final Map<String, ProxyListener> listeners;
    private final AdminServer admin;
    private final ListenerGuards guards;
    private final Path configFile;
    private final ConfigWatcher watcher;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final long startedNanos;
    private BalancerConfig config; // guarded by this
    private boolean closing; // guarded by this

    private Balancer(Builder b) {
        this.transport = b.transport;
        this.workers = b.workers;
        this.workerThreads = b.workerThreads;
        this.metrics = b.metrics;
        this.accessLog = b.accessLog;
        this.accessLogConfig = b.config.accessLog();
        this.upstreams = b.upstreams;
        this.proxy = b.proxy;
        this.listeners = b.listeners;
        this.admin = b.admin;
        this.guards = b.guards;
        this.configFile = b.configFile;
        this.config = b.config;
        this.startedNanos = b.startedNanos;
        this.watcher = configFile == null || !b.watch ? null : new ConfigWatcher(configFile, this::reloadFromWatcher);
    }

    /** What {@link #start} has built so far, so a failure half-way can close exactly that. */
    private static final class Builder {
        Transport transport;
        EventLoopGroup workers;
        int workerThreads;
        BalancerMetrics metrics;
        AccessLog accessLog;
        Upstreams upstreams;
        ProxyContext proxy;
        Map<String, ProxyListener> listeners = new LinkedHashMap<>();
        AdminServer admin;
        ListenerGuards guards;
        Path configFile;
        BalancerConfig config;
        boolean watch = true;
        long startedNanos;

        void closeAll() {
            if (admin != null) {
                admin.close();
            }
            listeners.values().forEach(ProxyListener::close);
            if (guards != null) {
                guards.close();
            }
            if (upstreams != null) {
                upstreams.close();
            }
            shutdown(workers);
            if (accessLog != null) {
                accessLog.close();
            }
        }
    }

    /**
     * Starts a balancer for {@code config}. With a {@code configFile}, changes to that file are reloaded.
     *
     * @throws BalancerStartException when an address cannot be bound or the access log cannot be opened; nothing
     *                                stays running in that case
     */
    public static Balancer start(BalancerConfig config, Path configFile) {
        return start(config, configFile, true);
    }

    /** As {@link #start(BalancerConfig, Path)}; {@code watch} false reloads the file only on {@link #reload}. */
    static Balancer start(BalancerConfig config, Path configFile, boolean watch) {
        Objects.requireNonNull(config, "config");
        Builder b = new Builder();
        b.watch = watch;
        b.startedNanos = System.nanoTime();
        b.config = config;
        b.configFile = configFile;
        try {
            b.transport = Transport.best();
            // The system property stays an override of the file, for benchmarks and containers run as they are.
            b.workerThreads = Integer.getInteger("balancer.threads", config.workerCount());
            b.workers = b.transport.newGroup(b.workerThreads, "balancer-io");
            b.transport = Transport.of(b.workers); // what it got, should io_uring have fallen back
            b.metrics = new BalancerMetrics();
            try {
                b.accessLog = AccessLog.open(config.accessLog());
            } catch (IOException e) {
                throw new BalancerStartException("access_log: cannot open " + config.accessLog().file() + ": "
                        + e.getMessage(), e);
            }
            b.upstreams = Upstreams.start(config, b.metrics, EventJournal.toStderr(), b.workers);
            b.proxy = new ProxyContext(b.upstreams, b.metrics, b.accessLog, b.transport, config.clientTimeouts());
            // The security guards (TLS, ACLs, rate limits, limits) go into each client pipeline.
            b.guards = ListenerGuards.create(config, b.metrics, b.accessLog, System.out, b.upstreams.events());
            for (ListenerConfig lc : config.listeners()) {
                b.listeners.put(lc.name(), ProxyListener.start(lc, b.proxy, b.workers, b.guards));
            }
            b.admin = AdminServer.start(config.admin(), b.upstreams, b.metrics, b.workers);
            Balancer balancer = new Balancer(b);
            if (balancer.watcher != null) {
                balancer.watcher.start();
            }
            return balancer;
        } catch (ListenerBindException e) {
            b.closeAll();
            throw new BalancerStartException(e.getMessage(), e);
        } catch (BalancerStartException e) {
            b.closeAll();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            b.closeAll();
            throw new BalancerStartException("interrupted while starting", e);
        } catch (RuntimeException e) {
            b.closeAll();
            throw new BalancerStartException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    /** The bound address of a listener (useful with port 0), or null if there is no such listener. */
    public InetSocketAddress listenerAddress(String name) {
        ProxyListener l = listeners.get(name);
        return l == null ? null : l.localAddress();
    }

    public InetSocketAddress adminAddress() {
        return admin.localAddress();
    }

    public BalancerMetrics metrics() {
        return metrics;
    }

    public Upstreams upstreams() {
        return upstreams;
    }

    public AccessLog accessLog() {
        return accessLog;
    }

    public synchronized BalancerConfig config() {
        return config;
    }

    /** The configuration file this balancer reloads, or null. */
    public Path configFile() {
        return configFile;
    }

    /**
     * Opens the access log file again by its name (after logrotate moved it); SIGHUP and SIGUSR1 ask for it.
     * Returns what it did, for the console.
     */
    public String reopenAccessLog() {
        AccessLogConfig log = accessLogConfig;
        if (log.target() != AccessLogConfig.Target.FILE) {
            return "the access log is " + describe(log) + ", nothing to reopen";
        }
        accessLog.reopen();
        return "reopening the access log " + log.file();
    }

    /**
     * Reloads the configuration file: pools, servers, weights, routes and client timeouts change in place and no
     * connection is dropped. Changes that need a restart (listener binds, listeners added or removed, the admin bind,
     * the access log target) are listed in the report and on stderr. An invalid file changes nothing; the report
     * carries its field-path error.
     */
    public ReloadReport reload() {
        if (configFile == null) {
            return ReloadReport.rejected("no configuration file to reload");
        }
        BalancerConfig next;
        try {
            next = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            upstreams.events().reload("rejected, keeping the running configuration: " + e.getMessage());
            return ReloadReport.rejected(e.getMessage());
        }
        return apply(next);
    }

    /** Applies a new configuration in place, as {@link #reload} does with the file. */
    public synchronized ReloadReport apply(BalancerConfig next) {
        if (closing) {
            return ReloadReport.rejected("the balancer is stopping");
        }
        if (next.equals(config)) {
            // A SIGHUP or a touched file with nothing new must not reset balancing state.
            return ReloadReport.EMPTY;
        }
        List<String> applied = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        for (ListenerConfig old : config.listeners()) {
            if (next.listener(old.name()) == null) {
                restart.add("listeners." + old.name() + ": removed; it keeps running until a restart");
            }
        }
        ReloadReport upstreamReport = upstreams.apply(next);
        for (ListenerConfig lc : next.listeners()) {
            ProxyListener running = listeners.get(lc.name());
            if (running == null) {
                restart.add("listeners." + lc.name() + ": added; it starts with a restart");
                continue;
            }
            ListenerConfig old = config.listener(lc.name());
            if (old != null && !old.bind().equals(lc.bind())) {
                restart.add("listeners." + lc.name() + ".bind: " + old.bind() + " -> " + lc.bind()
                        + " needs a restart");
            }
            if (old == null || !old.routes().equals(lc.routes())
                    || !Objects.equals(old.defaultPool(), lc.defaultPool())) {
                running.updateRoutes(lc);
                applied.add("listeners." + lc.name() + ".routes: updated");
            }
            // TLS, firewall, limits, HTTP/2 settings, HSTS and redirects are fixed into each listener's pipeline at start.
            if (old != null && !new ListenerConfig(lc.name(), lc.bind(), lc.routes(), lc.defaultPool(), old.tls(),
                    old.hsts(), old.redirectToHttps(), old.firewall(), old.limits(), old.http2()).equals(lc)) {
                restart.add("listeners." + lc.name() + ": tls/hsts/redirect/firewall/limits/http2 changes need a restart");
            }
        }
        // admin.bind changes are reported by Upstreams.apply.
        if (config.workers() != next.workers()) {
            restart.add("workers: " + describeWorkers(config.workers()) + " -> " + describeWorkers(next.workers())
                    + " needs a restart");
        }
        if (!config.accessLog().equals(next.accessLog())) {
            restart.add("access_log: " + describe(config.accessLog()) + " -> " + describe(next.accessLog())
                    + " needs a restart");
        }
        if (!config.clientTimeouts().equals(next.clientTimeouts())) {
            proxy.clientTimeouts(next.clientTimeouts());
            applied.add("client_timeouts: applied to new connections");
        }
        config = next;
        ReloadReport report = upstreamReport.merge(new ReloadReport(applied, restart));
        if (report.changed()) {
            upstreams.events().reload("applied: " + String.join("; ", report.applied()));
        }
        for (String line : report.restartRequired()) {
            upstreams.events().reload("waits for a restart: " + line);
        }
        return report;
    }

    private void reloadFromWatcher() {
        ReloadReport r = reload();
        if (!r.rejected() && !r.changed() && !r.needsRestart()) {
            upstreams.events().reload(configFile + " changed, nothing to apply");
        }
    }

    private static String describeWorkers(int workers) {
        return workers == BalancerConfig.AUTO_WORKERS ? "auto" : Integer.toString(workers);
    }

    private static String describe(AccessLogConfig a) {
        return a.file() != null ? a.file().toString() : a.target().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A short table of what is listening where, and each pool's servers, for the console. */
    public String startupTable() {
        BalancerConfig cfg = config();
        StringBuilder sb = new StringBuilder();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        sb.append("foobar balancer started in ").append(ms).append(" ms (").append(transport.name()).append(", ")
                .append(workerThreads).append(workerThreads == 1 ? " event loop" : " event loops").append(')');
        if (configFile != null) {
            sb.append(", config ").append(configFile);
        }
        sb.append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"LISTENER", "ADDRESS", "URL"});
        for (ProxyListener l : listeners.values()) {
            HostPort bind = l.config().bind();
            String scheme = l.config().tls() != null ? "https://" : "http://";
            int port = l.localAddress().getPort();
            rows.add(new String[] {l.name(), hostPort(bind.host(), port),
                    scheme + reachable(bind.host(), port) + "/"});
        }
        HostPort adminBind = config().admin().bind();
        int adminPort = adminAddress().getPort();
        String admin = reachable(adminBind.host(), adminPort);
        String urls = "http://" + admin + "/ (dashboard)  http://" + admin + "/metrics  http://" + admin
                + "/api/status  http://" + admin + "/api/events";
        rows.add(new String[] {"admin", hostPort(adminBind.host(), adminPort), urls});
        table(sb, rows);
        rows = new ArrayList<>();
        rows.add(new String[] {"POOL", "ALGORITHM", "SERVER", "ADDRESS", "WEIGHT", "ROLE", "STATE"});
        for (UpstreamPool pool : upstreams.pools()) {
            PoolConfig pc = pool.config();
            for (UpstreamServer s : pool.servers()) {
                ServerConfig sc = s.config();
                rows.add(new String[] {pool.name(), pc.algorithm(), s.name(), addressColumn(s),
                        Integer.toString(sc.weight()), s.backup() ? "backup" : "primary", s.stateName()});
            }
            if (pc.discover() != null) {
                // Its servers come and go with the name's records (listed above as <pool>@<address> when found).
                rows.add(new String[] {pool.name(), pc.algorithm(), "(discover)", pc.discover().toString(), "1",
                        "primary", "a server per address"});
            }
        }
        table(sb, rows);
        return sb.toString();
    }

    /** {@code 127.0.0.1:8081}; a name with what it resolved to: {@code web-1:8080 (172.18.0.3)}. */
    private static String addressColumn(UpstreamServer s) {
        ResolvedAddress r = s.resolved();
        if (r.status() == ResolvedAddress.Status.STATIC) {
            return s.address().toString();
        }
        if (r.address() == null) {
            return s.address() + " (" + r.status().json() + (r.problem() == null ? "" : ": " + r.problem()) + ")";
        }
        return s.address() + " (" + NetUtil.toAddressString(r.address().getAddress()) + ")";
    }

    /** The address as configured, with the port it got (port 0 asks for any free one). */
    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Where a client on this machine reaches it: a wildcard bind is reached on loopback. */
    private static String reachable(String host, int port) {
        String local = host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") ? "::1" : host;
        return hostPort(local, port);
    }

    private static void table(StringBuilder sb, List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            sb.append("  ");
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            sb.append('\n');
        }
    }

    /** Blocks until the balancer has stopped. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Stops, letting requests in flight finish for up to {@link #DEFAULT_GRACE}. */
    @Override
    public void close() {
        close(DEFAULT_GRACE);
    }

    /** Stops accepting, lets requests in flight finish for up to {@code grace}, then releases everything. */
    public void close(Duration grace) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        if (watcher != null) {
            watcher.close();
        }
        try {
            List<Thread> stoppers = new ArrayList<>();
            for (ProxyListener l : listeners.values()) {
                Thread t = new Thread(() -> l.shutdownGracefully(grace), "balancer-stop-" + l.name());
                t.start();
                stoppers.add(t);
            }
            for (Thread t : stoppers) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            guards.close();
            admin.close();
            upstreams.close();
            shutdown(workers);
            accessLog.close();
            closed.countDown();
        }
    }

    private static void shutdown(EventLoopGroup group) {
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Unmodifiable view of the running listeners by name. */
    Map<String, ProxyListener> listeners() {
        return Collections.unmodifiableMap(listeners);
    }
}
