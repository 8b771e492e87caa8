package com.foobar.devdb;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** What {@link DevDb#start(DevDbOptions)} starts. Immutable; build with {@link #builder()}. */
public final class DevDbOptions {
    public static final int DEFAULT_REPLICAS = 1;
    public static final int MAX_REPLICAS = 8;
    public static final String DEFAULT_DATABASE = "foobar";
    public static final String DEFAULT_USER = "foobar";
    public static final String DEFAULT_PASSWORD = "foobar";
    /** 0 asks for an ephemeral port. */
    public static final int EPHEMERAL_PORT = 0;
    /**
     * How long a commit on the primary waits for a replica's acknowledgement before semi-sync falls back to
     * asynchronous replication. Short on purpose: with the only replica dead, the first commit waits this long once
     * (then the primary runs asynchronously until a replica is back and caught up), and a web request that waits
     * a second still succeeds. A replica on loopback acknowledges in well under a millisecond, so one second without
     * an acknowledgement means it is gone or stuck, not slow. MariaDB's and MySQL's default is 10 s.
     */
    public static final Duration DEFAULT_SEMI_SYNC_TIMEOUT = Duration.ofSeconds(1);
    /**
     * How long after a crash a server is first started again. Longer than a failover tool's detection (db-failover:
     * 5 s) on purpose: a primary that is back within a second or two races the tool's decision; one that returns after
     * it meets a settled topology (a new primary, and a decider that fences it and re-attaches it). Kubernetes'
     * crash-loop back-off starts at 10 s too.
     */
    public static final Duration DEFAULT_CRASH_RESTART_DELAY = Duration.ofSeconds(10);

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");

    private final int replicas;
    private final int primaryPort;
    private final int[] replicaPorts;
    private final Path dataDir;
    private final Engine engine;
    private final String database;
    private final String user;
    private final String password;
    private final boolean semiSync;
    private final Duration semiSyncTimeout;
    private final boolean restartCrashed;
    private final Duration crashRestartDelay;
    private final List<String> serverArgs;
    private final String bindAddress;
    private final List<String> clientHosts;
    private final String replicaOfHost;
    private final int replicaOfPort;

    private DevDbOptions(Builder b) {
        this.replicas = b.replicas;
        this.primaryPort = b.primaryPort;
        this.replicaPorts = b.replicaPorts.clone();
        this.dataDir = b.dataDir;
        this.engine = b.engine;
        this.database = b.database;
        this.user = b.user;
        this.password = b.password;
        this.semiSync = b.semiSync;
        this.semiSyncTimeout = b.semiSyncTimeout;
        this.restartCrashed = b.restartCrashed;
        this.crashRestartDelay = b.crashRestartDelay;
        this.serverArgs = List.copyOf(b.serverArgs);
        this.bindAddress = b.bindAddress;
        this.clientHosts = b.clientHosts == null ? null : List.copyOf(b.clientHosts);
        this.replicaOfHost = b.replicaOfHost;
        this.replicaOfPort = b.replicaOfPort;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: one replica, ephemeral ports, throw-away data, engine AUTO. */
    public static DevDbOptions defaults() {
        return builder().build();
    }

    public int replicas() {
        return replicas;
    }

    public int primaryPort() {
        return primaryPort;
    }

    /** The port asked for replica {@code index} (1-based, as in "replica-1"); 0 = ephemeral. */
    public int replicaPort(int index) {
        if (index < 1 || index > replicas) {
            throw new IllegalArgumentException("replica index " + index + " is not in 1.." + replicas);
        }
        return replicaPorts[index - 1];
    }

    /** Where data is kept between runs; empty means a temporary directory removed on close. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    public Engine engine() {
        return engine;
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /**
     * Whether replication is semi-synchronous: a commit on the primary returns only once a replica has the
     * transaction in its relay log (or {@link #semiSyncTimeout()} passed), so a primary that dies loses no
     * acknowledged write. Off by default.
     */
    public boolean semiSync() {
        return semiSync;
    }

    public Duration semiSyncTimeout() {
        return semiSyncTimeout;
    }

    /**
     * Whether a database server that dies on its own (a crash, {@code kill -9}) is started again,
     * {@link #crashRestartDelay()} after, doubling while it keeps dying (at most a minute). It comes back read-only:
     * whether it may take writes again is for a failover tool (or you) to decide. Embedded MariaDB only. Without it,
     * a crashed server stays down, and {@link DbNode#start()} brings it back read-only.
     */
    public boolean restartCrashed() {
        return restartCrashed;
    }

    public Duration crashRestartDelay() {
        return crashRestartDelay;
    }

    /** Extra server options given to every node, e.g. {@code --general-log=ON}. */
    public List<String> serverArgs() {
        return serverArgs;
    }

    /**
     * The address, besides 127.0.0.1, that embedded MariaDB also listens on (an IP literal), and that the node URLs
     * name; empty: loopback only. For a node other machines (or network namespaces) reach.
     */
    public Optional<String> bindAddress() {
        return Optional.ofNullable(bindAddress);
    }

    /**
     * The hosts the accounts (the app's user, replication, db-failover's) are bound to, as MySQL account hosts: the
     * addresses the clients connect from. Empty: the default for the engine, 127.0.0.1 for embedded MariaDB (every
     * client of the no-Docker stack is on loopback) and {@code %} for MySQL in Docker, whose clients arrive through
     * Docker's port mapping from an address of Docker's choosing.
     */
    public Optional<List<String>> clientHosts() {
        return Optional.ofNullable(clientHosts);
    }

    /**
     * Set: this devdb runs no primary of its own but one replica, {@code replica-1}, of the primary another devdb runs
     * there (started with the same user, password and database). Its host is an IP literal or a name.
     */
    public Optional<String> replicaOfHost() {
        return Optional.ofNullable(replicaOfHost);
    }

    /** The port of {@link #replicaOfHost()}; 0 when that is empty. */
    public int replicaOfPort() {
        return replicaOfPort;
    }

    @Override
    public String toString() {
        return "DevDbOptions{replicas=" + replicas + ", primaryPort=" + primaryPort + ", replicaPorts="
                + Arrays.toString(replicaPorts) + ", dataDir=" + dataDir + ", engine=" + engine + ", database="
                + database + ", user=" + user + ", semiSync=" + semiSync + ", semiSyncTimeout=" + semiSyncTimeout
                + ", restartCrashed=" + restartCrashed + ", crashRestartDelay=" + crashRestartDelay + ", serverArgs=" + serverArgs
                + (bindAddress == null ? "" : ", bindAddress=" + bindAddress)
                + (clientHosts == null ? "" : ", clientHosts=" + clientHosts)
                + (replicaOfHost == null ? "" : ", replicaOf=" + replicaOfHost + ":" + replicaOfPort) + "}";
    }

    public static final class Builder {
        private int replicas = DEFAULT_REPLICAS;
        private int primaryPort = EPHEMERAL_PORT;
        private int[] replicaPorts = new int[MAX_REPLICAS];
        private int basePort = -1;
        private Path dataDir;
        private Engine engine = Engine.AUTO;
        private String database = DEFAULT_DATABASE;
        private String user = DEFAULT_USER;
        private String password = DEFAULT_PASSWORD;
        private boolean semiSync;
        private Duration semiSyncTimeout = DEFAULT_SEMI_SYNC_TIMEOUT;
        private boolean restartCrashed;
        private Duration crashRestartDelay = DEFAULT_CRASH_RESTART_DELAY;
        private final List<String> serverArgs = new ArrayList<>();
        private String bindAddress;
        private List<String> clientHosts;
        private String replicaOfHost;
        private int replicaOfPort;

        private Builder() {
        }

        /** Semi-synchronous replication (see {@link DevDbOptions#semiSync()}). */
        public Builder semiSync(boolean on) {
            this.semiSync = on;
            return this;
        }

        public Builder semiSyncTimeout(Duration timeout) {
            this.semiSyncTimeout = Objects.requireNonNull(timeout, "semiSyncTimeout");
            return this;
        }

        /** Restarts servers that die on their own (see {@link DevDbOptions#restartCrashed()}). */
        public Builder restartCrashed(boolean on) {
            this.restartCrashed = on;
            return this;
        }

        public Builder crashRestartDelay(Duration delay) {
            this.crashRestartDelay = Objects.requireNonNull(delay, "crashRestartDelay");
            return this;
        }

        /** Adds server options for every node, each a whole {@code --name=value}. */
        public Builder serverArgs(String... args) {
            serverArgs.addAll(Arrays.asList(args));
            return this;
        }

        public Builder replicas(int replicas) {
            this.replicas = replicas;
            return this;
        }

        public Builder primaryPort(int port) {
            this.primaryPort = port;
            return this;
        }

        /** Port of replica {@code index}, 1-based as in its name "replica-1"; 0 = ephemeral. */
        public Builder replicaPort(int index, int port) {
            if (index < 1 || index > MAX_REPLICAS) {
                throw new DevDbException("replicaPort: index " + index + " is not in 1.." + MAX_REPLICAS);
            }
            replicaPorts[index - 1] = port;
            return this;
        }

        /** Primary on {@code port}, replica-N on {@code port + N}, unless set one by one. */
        public Builder basePort(int port) {
            this.basePort = port;
            return this;
        }

        /** Keeps data here between runs ({@code <dir>/primary}, {@code <dir>/replica-1}...). */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** Embedded MariaDB also listens on this IP address (besides 127.0.0.1), and the node URLs name it. */
        public Builder bindAddress(String address) {
            this.bindAddress = address;
            return this;
        }

        /** Binds the accounts to these hosts (IP addresses, {@code localhost}, or {@code %}): {@link #clientHosts()}. */
        public Builder clientHosts(List<String> hosts) {
            this.clientHosts = hosts == null ? null : new ArrayList<>(hosts);
            return this;
        }

        /** Runs one local replica of the primary at {@code host:port} (another devdb's) instead of a pair. */
        public Builder replicaOf(String host, int port) {
            this.replicaOfHost = host;
            this.replicaOfPort = port;
            return this;
        }

        /** Validates everything once; a {@link DevDbException} names the offending field. */
        public DevDbOptions build() {
            // 0: a lone primary, for replicas that other devdbs run elsewhere (replicaOf).
            if (replicas < 0 || replicas > MAX_REPLICAS) {
                throw new DevDbException("replicas: " + replicas + " is not in 0.." + MAX_REPLICAS);
            }
            if (bindAddress != null && !isIpLiteral(bindAddress)) {
                throw new DevDbException("bindAddress: \"" + bindAddress + "\" is not an IP address");
            }
            if (clientHosts != null) {
                if (clientHosts.isEmpty()) {
                    throw new DevDbException("clientHosts: empty; give at least one address the clients connect from");
                }
                for (String h : clientHosts) {
                    if (!isIpLiteral(h) && !h.equals("localhost") && !h.equals("%")) {
                        throw new DevDbException("clientHosts: \"" + h + "\" is not an IP address, localhost or %");
                    }
                }
            }
            if (replicaOfHost != null) {
                if (replicaOfHost.isBlank() || !replicaOfHost.matches("[A-Za-z0-9.:_-]+")) {
                    throw new DevDbException("replicaOf: \"" + replicaOfHost + "\" is not a host name or IP address");
                }
                if (replicaOfPort < 1 || replicaOfPort > 65535) {
                    throw new DevDbException("replicaOf: port " + replicaOfPort + " is not in 1..65535");
                }
                if (replicas != 1) {
                    throw new DevDbException("replicas: " + replicas + " with replicaOf; it runs exactly one local replica");
                }
                if (engine == Engine.MYSQL_CONTAINER) {
                    throw new DevDbException("replicaOf: only with embedded MariaDB");
                }
            }
            if (bindAddress != null && engine == Engine.MYSQL_CONTAINER) {
                throw new DevDbException("bindAddress: only with embedded MariaDB");
            }
            if (basePort != -1) {
                checkPort("basePort", basePort);
                checkPort("basePort", basePort + replicas);
                if (basePort == 0) {
                    throw new DevDbException("basePort: 0 is not a port to count from; leave it unset for ephemeral ports");
                }
                if (primaryPort == EPHEMERAL_PORT) {
                    primaryPort = basePort;
                }
                for (int i = 0; i < replicas; i++) {
                    if (replicaPorts[i] == EPHEMERAL_PORT) {
                        replicaPorts[i] = basePort + i + 1;
                    }
                }
            }
            checkPort("primaryPort", primaryPort);
            for (int i = 0; i < replicas; i++) {
                checkPort("replicaPort[" + (i + 1) + "]", replicaPorts[i]);
                if (replicaPorts[i] != EPHEMERAL_PORT && replicaPorts[i] == primaryPort) {
                    throw new DevDbException("replicaPort[" + (i + 1) + "]: " + replicaPorts[i] + " is already the primary's port");
                }
                for (int j = 0; j < i; j++) {
                    if (replicaPorts[i] != EPHEMERAL_PORT && replicaPorts[i] == replicaPorts[j]) {
                        throw new DevDbException("replicaPort[" + (i + 1) + "]: " + replicaPorts[i] + " is already replica-" + (j + 1) + "'s port");
                    }
                }
            }
            for (int i = replicas; i < MAX_REPLICAS; i++) {
                if (replicaPorts[i] != EPHEMERAL_PORT) {
                    throw new DevDbException("replicaPort[" + (i + 1) + "]: set, but only " + replicas + " replica(s) are asked for");
                }
            }
            checkIdentifier("database", database);
            checkIdentifier("user", user);
            if (password == null || password.isEmpty()) {
                throw new DevDbException("password: must not be empty");
            }
            if (password.indexOf('\'') >= 0 || password.indexOf('\\') >= 0) {
                throw new DevDbException("password: must not contain quotes or backslashes");
            }
            if (semiSyncTimeout.isNegative() || semiSyncTimeout.isZero() || semiSyncTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new DevDbException("semiSyncTimeout: " + semiSyncTimeout + " is not between 1 ms and 1 min");
            }
            if (crashRestartDelay.toMillis() < 100 || crashRestartDelay.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new DevDbException("crashRestartDelay: " + crashRestartDelay + " is not between 100 ms and 1 min");
            }
            for (int i = 0; i < serverArgs.size(); i++) {
                String arg = serverArgs.get(i);
                if (arg == null || !arg.startsWith("--") || arg.length() < 3 || arg.chars().anyMatch(Character::isWhitespace)) {
                    throw new DevDbException("serverArgs[" + i + "]: \"" + arg + "\" is not one --option or --option=value");
                }
            }
            if (dataDir != null) {
                dataDir = dataDir.toAbsolutePath().normalize();
            }
            return new DevDbOptions(this);
        }

        private static boolean isIpLiteral(String value) {
            if (value.isEmpty() || !value.matches("[0-9A-Fa-f.:]+")) {
                return false;
            }
            try {
                java.net.InetAddress.getByName(value);   // a literal of these characters is parsed, never looked up
                return true;
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }

        private static void checkPort(String field, int port) {
            if (port < 0 || port > 65535) {
                throw new DevDbException(field + ": " + port + " is not a TCP port (0 = ephemeral, 1..65535)");
            }
        }

        private static void checkIdentifier(String field, String value) {
            if (value == null || !IDENTIFIER.matcher(value).matches()) {
                throw new DevDbException(field + ": \"" + value + "\" is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*, at most 32)");
            }
        }
    }
}
