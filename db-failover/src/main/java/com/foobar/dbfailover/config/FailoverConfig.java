package com.foobar.dbfailover.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the decider watches and how it decides. Immutable; from a file and the environment through
 * {@link ConfigLoader}, or built in code with {@link #builder()}. Defaults are the constants below.
 */
public final class FailoverConfig {
    /** How long the primary must stay unreachable before a replica replaces it: MaxScale's default is 10 s; 5 s is
     *  the project's goal for writes (chaos: "writes get 503 for at most 10 s"), detection plus promotion. */
    public static final Duration DEFAULT_FAILOVER_AFTER = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** A probe that gets no answer within this fails; a slow primary that answers within it is alive. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** How long a candidate may take to apply what it received before the promotion is put off. */
    public static final Duration DEFAULT_CATCH_UP_TIMEOUT = Duration.ofSeconds(30);
    public static final String DEFAULT_STATUS_HOST = "127.0.0.1";
    public static final int DEFAULT_STATUS_PORT = 9095;
    public static final String DEFAULT_JDBC_OPTIONS = "useSSL=false&allowPublicKeyRetrieval=true";
    public static final int DEFAULT_EVENTS_KEPT = 200;

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final List<NodeConfig> nodes;
    private final String user;
    private final String password;
    private final String replicationUser;
    private final String replicationPassword;
    private final boolean replicationSsl;
    private final DatabaseFlavor flavor;
    private final Duration failoverAfter;
    private final Duration checkInterval;
    private final Duration connectTimeout;
    private final Duration probeTimeout;
    private final Duration catchUpTimeout;
    private final boolean confirmWithReplicas;
    private final boolean enforceWritablePrimary;
    private final SemiSyncMode semiSync;
    private final String statusHost;
    private final int statusPort;
    private final String jdbcOptions;
    private final int eventsKept;

    private FailoverConfig(Builder b) {
        this.nodes = List.copyOf(b.nodes);
        this.user = b.user;
        this.password = b.password;
        this.replicationUser = b.replicationUser;
        this.replicationPassword = b.replicationPassword;
        this.replicationSsl = b.replicationSsl;
        this.flavor = b.flavor;
        this.failoverAfter = b.failoverAfter;
        this.checkInterval = b.checkInterval;
        this.connectTimeout = b.connectTimeout;
        this.probeTimeout = b.probeTimeout;
        this.catchUpTimeout = b.catchUpTimeout;
        this.confirmWithReplicas = b.confirmWithReplicas;
        this.enforceWritablePrimary = b.enforceWritablePrimary;
        this.semiSync = b.semiSync;
        this.statusHost = b.statusHost;
        this.statusPort = b.statusPort;
        this.jdbcOptions = b.jdbcOptions;
        this.eventsKept = b.eventsKept;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every node, the primary's and the replicas' alike: roles are what the nodes say, not this list's order. */
    public List<NodeConfig> nodes() {
        return nodes;
    }

    public NodeConfig node(String name) {
        for (NodeConfig n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("no node " + name);
    }

    /** The decider's account (read_only, replication control, status). */
    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The account replicas use to connect to their primary; the decider gives it to repointed replicas. */
    public String replicationUser() {
        return replicationUser;
    }

    public String replicationPassword() {
        return replicationPassword;
    }

    /**
     * Whether repointed replicas connect to their new primary over TLS ({@code MASTER_SSL} / {@code SOURCE_SSL}).
     * Off by default, as {@link #DEFAULT_JDBC_OPTIONS} is: MariaDB 11.4 turned {@code MASTER_SSL} on by default, and a
     * replica told nothing then fails against a server without TLS ("SSL is required, but the server does not support
     * it"). Turn it on where the servers have certificates.
     */
    public boolean replicationSsl() {
        return replicationSsl;
    }

    public DatabaseFlavor flavor() {
        return flavor;
    }

    public Duration failoverAfter() {
        return failoverAfter;
    }

    public Duration checkInterval() {
        return checkInterval;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration probeTimeout() {
        return probeTimeout;
    }

    public Duration catchUpTimeout() {
        return catchUpTimeout;
    }

    /**
     * Whether a promotion also needs every reachable replica to have lost the primary (Orchestrator's "dead master"
     * rule): a replica still connected to it means the decider, not the primary, is cut off.
     */
    public boolean confirmWithReplicas() {
        return confirmWithReplicas;
    }

    /**
     * Whether a primary found read-only is made writable whenever no replica has anything it lacks and no other node
     * is writable, not only when the decider saw it restart (MaxScale's {@code enforce_writable_master}). For
     * topologies where every node starts read-only (compose: a node that restarts must not take writes before the
     * decider has looked at it), including the first start and a decider that starts after the primary.
     */
    public boolean enforceWritablePrimary() {
        return enforceWritablePrimary;
    }

    public SemiSyncMode semiSync() {
        return semiSync;
    }

    public String statusHost() {
        return statusHost;
    }

    /** 0 takes an ephemeral port (tests). */
    public int statusPort() {
        return statusPort;
    }

    /** Connector/J options appended to every node's URL. */
    public String jdbcOptions() {
        return jdbcOptions;
    }

    public int eventsKept() {
        return eventsKept;
    }

    public static final class Builder {
        private final List<NodeConfig> nodes = new ArrayList<>();
        private String user;
        private String password = "";
        private String replicationUser;
        private String replicationPassword = "";
        private boolean replicationSsl;
        private DatabaseFlavor flavor = DatabaseFlavor.AUTO;
        private Duration failoverAfter = DEFAULT_FAILOVER_AFTER;
        private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
        private Duration catchUpTimeout = DEFAULT_CATCH_UP_TIMEOUT;
        private boolean confirmWithReplicas = true;
        private boolean enforceWritablePrimary;
        private SemiSyncMode semiSync = SemiSyncMode.AUTO;
        private String statusHost = DEFAULT_STATUS_HOST;
        private int statusPort = DEFAULT_STATUS_PORT;
        private String jdbcOptions = DEFAULT_JDBC_OPTIONS;
        private int eventsKept = DEFAULT_EVENTS_KEPT;

        private Builder() {
        }

        public Builder node(NodeConfig node) {
            nodes.add(Objects.requireNonNull(node));
            return this;
        }

        public Builder node(String name, String host, int port) {
            return node(new NodeConfig(name, host, port));
        }

        public Builder user(String user, String password) {
            this.user = user;
            this.password = password == null ? "" : password;
            return this;
        }

        public Builder replicationUser(String user, String password) {
            this.replicationUser = user;
            this.replicationPassword = password == null ? "" : password;
            return this;
        }

        public Builder replicationSsl(boolean on) {
            this.replicationSsl = on;
            return this;
        }

        public Builder flavor(DatabaseFlavor flavor) {
            this.flavor = Objects.requireNonNull(flavor);
            return this;
        }

        public Builder failoverAfter(Duration d) {
            this.failoverAfter = Objects.requireNonNull(d);
            return this;
        }

        public Builder checkInterval(Duration d) {
            this.checkInterval = Objects.requireNonNull(d);
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = Objects.requireNonNull(d);
            return this;
        }

        public Builder probeTimeout(Duration d) {
            this.probeTimeout = Objects.requireNonNull(d);
            return this;
        }

        public Builder catchUpTimeout(Duration d) {
            this.catchUpTimeout = Objects.requireNonNull(d);
            return this;
        }

        public Builder confirmWithReplicas(boolean on) {
            this.confirmWithReplicas = on;
            return this;
        }

        public Builder enforceWritablePrimary(boolean on) {
            this.enforceWritablePrimary = on;
            return this;
        }

        public Builder semiSync(SemiSyncMode mode) {
            this.semiSync = Objects.requireNonNull(mode);
            return this;
        }

        public Builder status(String host, int port) {
            this.statusHost = host;
            this.statusPort = port;
            return this;
        }

        public Builder jdbcOptions(String options) {
            this.jdbcOptions = options == null ? "" : options;
            return this;
        }

        public Builder eventsKept(int n) {
            this.eventsKept = n;
            return this;
        }

        /** Checks everything, naming the key of the first problem. */
        public FailoverConfig build() throws ConfigException {
            if (nodes.size() < 2) {
                throw new ConfigException("nodes", "needs at least 2 nodes (a primary and a replica), got " + nodes.size());
            }
            Set<String> names = new HashSet<>();
            Set<String> addresses = new HashSet<>();
            boolean anyCandidate = false;
            for (int i = 0; i < nodes.size(); i++) {
                NodeConfig n = nodes.get(i);
                String at = "nodes[" + i + "]";
                if (n.name() == null || !NAME.matcher(n.name()).matches()) {
                    throw new ConfigException(at + ".name", "\"" + n.name() + "\" is not a name (letters, digits, . _ -)");
                }
                if (!names.add(n.name())) {
                    throw new ConfigException(at + ".name", "\"" + n.name() + "\" is the name of an earlier node too");
                }
                checkHostPort(at + ".address", n.host(), n.port());
                checkHostPort(at + ".replication_address", n.replicationHost(), n.replicationPort());
                if (!addresses.add(n.address().toLowerCase(java.util.Locale.ROOT))) {
                    throw new ConfigException(at + ".address", n.address() + " is the address of an earlier node too");
                }
                anyCandidate |= n.candidate();
            }
            if (!anyCandidate) {
                throw new ConfigException("nodes", "no node may be promoted (every candidate is false)");
            }
            if (user == null || user.isBlank()) {
                throw new ConfigException("user", "is required");
            }
            if (replicationUser == null || replicationUser.isBlank()) {
                throw new ConfigException("replication.user", "is required");
            }
            atLeast("failover_after", failoverAfter, Duration.ofMillis(500));
            atLeast("check_interval", checkInterval, Duration.ofMillis(50));
            atLeast("connect_timeout", connectTimeout, Duration.ofMillis(100));
            atLeast("probe_timeout", probeTimeout, Duration.ofMillis(100));
            atLeast("catch_up_timeout", catchUpTimeout, Duration.ofSeconds(1));
            if (checkInterval.compareTo(failoverAfter) >= 0) {
                throw new ConfigException("check_interval", Durations.format(checkInterval)
                        + " is not shorter than failover_after (" + Durations.format(failoverAfter) + ")");
            }
            if (statusHost == null || statusHost.isBlank()) {
                throw new ConfigException("status.bind", "needs a host");
            }
            if (statusPort < 0 || statusPort > 65535) {
                throw new ConfigException("status.bind", "\"" + statusPort + "\" is not a port number (0-65535, 0 for"
                        + " any free port)");
            }
            if (jdbcOptions.contains("?") || jdbcOptions.chars().anyMatch(Character::isWhitespace)) {
                throw new ConfigException("jdbc_options", "\"" + jdbcOptions + "\" is not key=value&key=value");
            }
            if (eventsKept < 10 || eventsKept > 100_000) {
                throw new ConfigException("events_kept", eventsKept + " is out of range 10-100000");
            }
            return new FailoverConfig(this);
        }

        private static void atLeast(String key, Duration d, Duration min) throws ConfigException {
            if (d.compareTo(min) < 0) {
                throw new ConfigException(key, Durations.format(d) + " is shorter than the minimum " + Durations.format(min));
            }
        }

        private static void checkHostPort(String key, String host, int port) throws ConfigException {
            if (host == null || host.isBlank()) {
                throw new ConfigException(key, "needs a host");
            }
            if (port < 1 || port > 65535) {
                throw new ConfigException(key, "\"" + port + "\" is not a port number (1-65535)");
            }
        }
    }
}
