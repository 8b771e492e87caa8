package com.foobar.balancer;

import com.foobar.logging.Logging;
import com.foobar.balancer.config.BalancerConfig;
import com.foobar.balancer.config.ConfigException;
import com.foobar.balancer.config.ConfigLoader;
import com.foobar.balancer.config.PoolConfig;
import com.foobar.balancer.discovery.NameCheck;
import com.foobar.balancer.upstream.ReloadReport;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code java -jar balancer.jar --config FILE [--check]}. Exit status: 0 when fine, 2 for an invalid configuration
 * or bad arguments, 1 when the balancer cannot start (an address in use). Errors are one line each, never a stack
 * trace.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int INVALID = 2;

    private static final String USAGE = String.join("\n",
            "usage: java -jar balancer.jar --config FILE [--check]",
            "",
            "  --config FILE   the YAML configuration (reference: README.md, \"Balancer configuration\")",
            "  --check         validate the configuration, print \"configuration OK\" and exit;",
            "                  an invalid configuration exits 2 naming the field and the reason; a server",
            "                  name that does not resolve now is a warning (it may later), not an error",
            "  --help          print this text",
            "",
            "While running: SIGHUP or a change to FILE reloads pools, servers, weights and routes;",
            "SIGHUP and SIGUSR1 reopen an access_log file (logrotate: move it, then kill -USR1);",
            "SIGTERM stops accepting and lets requests in flight finish (up to "
                    + Balancer.DEFAULT_GRACE.toSeconds() + "s).");

    private Main() {
    }

    public static void main(String[] args) {
        Logging.init();
        applyNettyDefaults();
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Two Netty settings the balancer's command line defaults differently from Netty, each still overridable with
     * its {@code -D} property. Set before any buffer class loads. Measured by bench/ on small-keepalive,
     * upload and large-response, interleaved against HAProxy: sampled leak tracking cost ~10% of throughput, and
     * the pooled allocator's per-thread caches beat Netty 4.2's adaptive default by 5-10%.
     */
    static void applyNettyDefaults() {
        setIfAbsent("io.netty.leakDetection.level", "disabled");
        setIfAbsent("io.netty.allocator.type", "pooled");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Runs the command line; for a running balancer, returns only once it has stopped. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help":
                case "-h":
                    out.println(USAGE);
                    return OK;
                case "--check":
                case "-t":
                    check = true;
                    break;
                case "--config":
                case "-c":
                    if (i + 1 >= args.length) {
                        err.println("--config needs a file name");
                        err.println(USAGE);
                        return INVALID;
                    }
                    file = Paths.get(args[++i]);
                    break;
                default:
                    if (a.startsWith("--config=")) {
                        file = Paths.get(a.substring("--config=".length()));
                        break;
                    }
                    err.println("unknown argument: " + a);
                    err.println(USAGE);
                    return INVALID;
            }
        }
        if (file == null) {
            err.println("no configuration given: use --config FILE");
            err.println(USAGE);
            return INVALID;
        }
        BalancerConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.println("configuration test failed: " + file);
            return INVALID;
        }
        if (check) {
            int servers = 0;
            for (PoolConfig p : config.pools().values()) {
                servers += p.servers().size();
            }
            try {
                for (String warning : NameCheck.unresolved(config)) {
                    err.println("warning: " + warning);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.println("configuration OK");
            out.println("  " + file + ": " + plural(config.listeners().size(), "listener") + ", "
                    + plural(config.pools().size(), "pool") + ", " + plural(servers, "server"));
            return OK;
        }
        return serve(config, file, out, err);
    }

    private static int serve(BalancerConfig config, Path file, PrintStream out, PrintStream err) {
        Balancer balancer;
        try {
            balancer = Balancer.start(config, file.toAbsolutePath());
        } catch (BalancerStartException e) {
            err.println("cannot start: " + e.getMessage());
            return FAILED;
        }
        // Signals are handled before the table says the balancer is up: a supervisor that sends SIGHUP as soon as it
        // sees the table must get a reload, not the JVM's default hangup (exit 129).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping: finishing requests in flight (up to "
                    + Balancer.DEFAULT_GRACE.toSeconds() + "s)");
            balancer.close();
            System.out.println("stopped");
            System.out.flush();
        }, "balancer-shutdown"));
        Signals.onHangup(() -> {
            balancer.reopenAccessLog();
            ReloadReport report = balancer.reload();
            if (report.rejected()) {
                return;
            }
            System.out.println("reload (SIGHUP): " + report.toString().replace("\n", "; "));
        }, err);
        Signals.onUser1(() -> System.out.println("SIGUSR1: " + balancer.reopenAccessLog()), err);
        out.print(balancer.startupTable());
        out.flush();
        try {
            balancer.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
