package com.foobar.overview;

import com.foobar.logging.Logging;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar overview.jar --balancer http://127.0.0.1:9090 --web web-1=http://127.0.0.1:8081 ...}: the page on
 * its own, as compose runs it (the stack runs it in its own process instead). Bad flags: one line naming the flag,
 * exit 2.
 */
public final class OverviewMain {
    static final String USAGE = """
            usage: overview [--bind ADDR] [--port N] [--interval DURATION]
                            [--balancer [NAME=]URL]... [--web NAME=URL]... [--db-failover URL] [--components URL]
              --bind          address to serve the page on (default 127.0.0.1)
              --port          its port (default 9096; 0 for any free one)
              --interval      how often every source is polled (default 500ms; 100ms-1m)
              --balancer      a balancer's admin URL (repeatable; NAME defaults to balancer, balancer-2, ...)
              --web           a web server's URL (repeatable)
              --db-failover   db-failover's status URL
              --components    a supervisor's component list (the stack's GET /api/components)
            """;
    public static final int DEFAULT_PORT = 9096;

    private OverviewMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Logging.init();
        OverviewConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("overview: " + e.getMessage());
            System.err.println("run with --help for the flags");
            System.exit(2);
            return;
        }
        if (config == null) {
            System.out.print(USAGE);
            return;
        }
        Overview overview;
        try {
            overview = Overview.start(config);
        } catch (IOException e) {
            System.err.println("overview: cannot serve on " + config.bind() + ":" + config.port() + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        describe(config, overview, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            overview.close();
            stopped.countDown();
        }, "overview-stop"));
        stopped.await();
    }

    /** What it serves and watches, one line each. */
    static void describe(OverviewConfig config, Overview overview, PrintStream out) {
        out.println("overview: serving " + overview.uri() + " (data: " + overview.uri().resolve("/api/overview")
                + "), polling every " + config.interval().toMillis() + "ms");
        config.balancers().forEach(b -> out.println("  watching balancer " + b.name() + " at " + b.base()));
        config.webs().forEach(w -> out.println("  watching web server " + w.name() + " at " + w.base()));
        config.failover().ifPresent(f -> out.println("  watching db-failover at " + f));
        config.components().ifPresent(c -> out.println("  watching processes at " + c));
    }

    /** The configuration the flags give; null for {@code --help}. */
    static OverviewConfig parse(String[] args) {
        String bind = "127.0.0.1";
        int port = DEFAULT_PORT;
        Duration interval = OverviewConfig.DEFAULT_INTERVAL;
        List<OverviewConfig.Source> balancers = new ArrayList<>();
        List<OverviewConfig.Source> webs = new ArrayList<>();
        Optional<URI> failover = Optional.empty();
        Optional<URI> components = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return null;
            }
            if (!List.of("--bind", "--port", "--interval", "--balancer", "--web", "--db-failover", "--components")
                    .contains(flag)) {
                throw new IllegalArgumentException(flag + ": unknown flag");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + ": needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--bind" -> bind = value;
                case "--port" -> port = port(value);
                case "--interval" -> interval = duration(flag, value);
                case "--balancer" -> balancers.add(source(flag, value,
                        balancers.isEmpty() ? "balancer" : "balancer-" + (balancers.size() + 1)));
                case "--web" -> webs.add(source(flag, value, null));
                case "--db-failover" -> failover = Optional.of(url(flag, value));
                default -> components = Optional.of(url(flag, value));
            }
        }
        return new OverviewConfig(bind, port, interval, OverviewConfig.DEFAULT_HISTORY, balancers, webs, failover,
                components);
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("--port: " + value + " is not a port number (0-65535, 0 for any free port)");
    }

    private static Duration duration(String flag, String value) {
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(flag + ": " + value + " is not a duration (e.g. 500ms, 1s)");
    }

    private static OverviewConfig.Source source(String flag, String value, String defaultName) {
        int eq = value.indexOf('=');
        if (eq < 0 && defaultName == null) {
            throw new IllegalArgumentException(flag + ": " + value + " needs a name: NAME=URL");
        }
        String name = eq < 0 ? defaultName : value.substring(0, eq);
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(flag + ": '" + name + "' is not a name (letters, digits, . _ -)");
        }
        return new OverviewConfig.Source(name, url(flag, eq < 0 ? value : value.substring(eq + 1)));
    }

    private static URI url(String flag, String value) {
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // the message below
        }
        throw new IllegalArgumentException(flag + ": " + value + " is not an http:// URL");
    }
}
