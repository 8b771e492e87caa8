package com.foobar.devdb;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a replicated pair in the foreground until Ctrl-C:
 * {@code java -cp ... com.foobar.devdb.DevDbMain --primary-port 13306 --replica-port 13307 --data-dir ./data/db}.
 */
public final class DevDbMain {
    private static final String USAGE = String.join("\n",
            "usage: DevDbMain [options]",
            "  --primary-port N     primary port (default 0 = ephemeral)",
            "  --replica-port N     port of replica-1; repeat for replica-2... (default ephemeral)",
            "  --replicas N         number of replicas (default 1; 0: a lone primary)",
            "  --bind ADDRESS       also listen on this IP address (besides 127.0.0.1); the node URLs name it (mariadb only)",
            "  --client-hosts A,B   bind the accounts to these client addresses (default 127.0.0.1; % for mysql in Docker)",
            "  --replica-of H:P     run one replica of the primary another devdb runs at H:P, no primary (mariadb only)",
            "  --data-dir DIR       keep data here between runs (default: throw-away)",
            "  --engine E           mariadb | mysql | auto (default auto: env FOOBAR_DB, else mysql where Docker has or can pull",
            "                       mysql:8.4, else mariadb)",
            "  --database NAME      application database (default foobar)",
            "  --user NAME          application user (default foobar)",
            "  --password PW        application password (default foobar)",
            "  --semi-sync          semi-synchronous replication: a commit returns once a replica has it",
            "  --semi-sync-timeout D  how long a commit waits for a replica before going asynchronous (default 1s)",
            "  --restart-crashed    restart a server that dies on its own (embedded MariaDB); it comes back read-only",
            "  --crash-restart-delay D  how long after a crash the first restart comes (default 10s, doubling)");

    private DevDbMain() {
    }

    public static void main(String[] args) {
        DevDbLogging.init();
        DevDbOptions options;
        try {
            options = parse(args);
        } catch (DevDbException e) {
            System.err.println("devdb: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(USAGE);
            return;
        }
        DevDb db;
        try {
            db = DevDb.start(options);
        } catch (DevDbException e) {
            System.err.println("devdb: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DevDbConsole.progress("shutting down");
            db.close();
            stopped.countDown();
        }, "devdb-shutdown"));
        DevDbConsole.progress("running; Ctrl-C stops all nodes");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns null when help was asked for. */
    static DevDbOptions parse(String[] args) {
        DevDbOptions.Builder b = DevDbOptions.builder();
        int replicaPorts = 0;
        int replicas = -1;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("-h") || flag.equals("--help")) {
                return null;
            }
            if (flag.equals("--semi-sync")) {
                b.semiSync(true);
                continue;
            }
            if (flag.equals("--restart-crashed")) {
                b.restartCrashed(true);
                continue;
            }
            String value;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new DevDbException(flag + ": needs a value");
                }
                value = args[++i];
            }
            switch (flag) {
                case "--primary-port":
                    b.primaryPort(intValue(flag, value));
                    break;
                case "--replica-port":
                    replicaPorts++;
                    b.replicaPort(replicaPorts, intValue(flag, value));
                    break;
                case "--replicas":
                    replicas = intValue(flag, value);
                    break;
                case "--data-dir":
                    Path dir = Paths.get(value);
                    b.dataDir(dir);
                    break;
                case "--bind":
                    b.bindAddress(value);
                    break;
                case "--client-hosts":
                    b.clientHosts(java.util.Arrays.stream(value.split(",")).map(String::trim).toList());
                    break;
                case "--replica-of":
                    int colon = value.lastIndexOf(':');
                    if (colon <= 0) {
                        throw new DevDbException("--replica-of: \"" + value + "\" is not host:port");
                    }
                    b.replicaOf(value.substring(0, colon), intValue(flag, value.substring(colon + 1)));
                    break;
                case "--engine":
                    b.engine(engine(value));
                    break;
                case "--database":
                    b.database(value);
                    break;
                case "--user":
                    b.user(value);
                    break;
                case "--password":
                    b.password(value);
                    break;
                case "--crash-restart-delay":
                    b.crashRestartDelay(duration(flag, value));
                    break;
                case "--semi-sync-timeout":
                    b.semiSyncTimeout(duration(flag, value));
                    break;
                default:
                    throw new DevDbException(flag + ": unknown option");
            }
        }
        b.replicas(replicas == -1 ? Math.max(1, replicaPorts) : replicas);
        return b.build();
    }

    private static int intValue(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new DevDbException(flag + ": \"" + value + "\" is not a number");
        }
    }

    /** {@code 500ms}, {@code 1s}, {@code 2s}. */
    static java.time.Duration duration(String flag, String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s)").matcher(value.trim());
        if (!m.matches()) {
            throw new DevDbException(flag + ": \"" + value + "\" is not a duration like 500ms or 2s");
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).equals("ms") ? java.time.Duration.ofMillis(n) : java.time.Duration.ofSeconds(n);
    }

    private static Engine engine(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "mariadb":
                return Engine.EMBEDDED_MARIADB;
            case "mysql":
                return Engine.MYSQL_CONTAINER;
            case "auto":
                return Engine.AUTO;
            default:
                throw new DevDbException("--engine: \"" + value + "\" is not one of mariadb, mysql, auto");
        }
    }
}
