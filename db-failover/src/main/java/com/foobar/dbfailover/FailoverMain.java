package com.foobar.dbfailover;

import com.foobar.logging.Logging;
import com.foobar.dbfailover.config.ConfigException;
import com.foobar.dbfailover.config.ConfigLoader;
import com.foobar.dbfailover.config.Durations;
import com.foobar.dbfailover.config.FailoverConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar db-failover.jar [--config FILE] [--check]}: the decider as a process of its own, configured by a
 * YAML file and/or {@code FOOBAR_FAILOVER_*} environment variables. Events go to stdout, one line each; problems with
 * the configuration or the start to stderr in one line.
 *
 * <p>Exit status: 0 after {@code --help} or a good {@code --check}; 143 (or 130) when SIGTERM (Ctrl-C) stopped it, after a
 * clean stop; 1 when it cannot start
 * (the status address cannot be bound); 2 for a bad configuration or bad arguments.
 */
public final class FailoverMain {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    /** run() returned because a signal stopped the decider: the JVM is exiting already. */
    static final int STOPPED = -1;

    static final String USAGE = String.join("\n",
            "Usage: db-failover [--config FILE] [--check]",
            "",
            "Watches MySQL/MariaDB nodes and promotes the most advanced replica when the primary is gone.",
            "  --config FILE   the YAML configuration (default: $" + ConfigLoader.ENV_CONFIG + ", or the environment alone)",
            "  --check         validate the configuration and exit (0 valid, 2 invalid)",
            "  -h, --help      this text",
            "Every key can be set by a variable, which wins over the file: FOOBAR_FAILOVER_NODES=name=host:port,...,",
            "FOOBAR_FAILOVER_USER, FOOBAR_FAILOVER_PASSWORD, FOOBAR_FAILOVER_REPLICATION_USER,",
            "FOOBAR_FAILOVER_REPLICATION_PASSWORD, FOOBAR_FAILOVER_AFTER, FOOBAR_FAILOVER_STATUS_BIND, ...",
            "(db-failover/README.md lists them all).");

    private FailoverMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Logging.init();
        int status = run(args, System.getenv());
        if (status != STOPPED) {
            System.exit(status);
        }
    }

    static int run(String[] args, Map<String, String> env) throws InterruptedException {
        Optional<Path> file = Optional.empty();
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println(USAGE);
                return 0;
            } else if (a.equals("--check")) {
                check = true;
            } else if (a.equals("--config") && i + 1 < args.length) {
                file = Optional.of(Path.of(args[++i]));
            } else if (a.startsWith("--config=")) {
                file = Optional.of(Path.of(a.substring("--config=".length())));
            } else {
                System.err.println("db-failover: " + a + ": " + (a.equals("--config") ? "needs a file" : "unknown argument")
                        + " (see --help)");
                return EXIT_USAGE;
            }
        }
        FailoverConfig config;
        try {
            config = ConfigLoader.load(file, env);
        } catch (ConfigException e) {
            System.err.println("db-failover: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (check) {
            System.out.println("db-failover: configuration valid: " + config.nodes().size() + " nodes, failover after "
                    + Durations.format(config.failoverAfter()));
            return 0;
        }
        Failover failover;
        try {
            failover = Failover.start(config, System.out);
        } catch (IOException e) {
            System.err.println("db-failover: cannot serve status on " + config.statusHost() + ":" + config.statusPort()
                    + " (status.bind): " + e.getMessage());
            return EXIT_FAILED;
        }
        String at = "http://" + failover.statusAddress().getHostString() + ":" + failover.statusAddress().getPort();
        System.out.println("db-failover: status on " + at + "/api/status, metrics on " + at + "/metrics");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            failover.close();
            System.out.println("db-failover: stopped");
            System.out.flush();
            stopped.countDown();
        }, "db-failover-shutdown"));
        stopped.await();
        return STOPPED;
    }
}
