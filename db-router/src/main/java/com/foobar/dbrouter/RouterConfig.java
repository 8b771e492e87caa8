package com.foobar.dbrouter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a {@link RoutingDataSource} needs. Immutable; validated once by {@link Builder#build()}.
 *
 * <p>The nodes are given either as {@code primaryUrl} + {@code replicaUrls} (named {@code primary},
 * {@code replica-1}...) or as a plain {@code nodeUrls} list (named {@code node-1}...). Either way they are only the
 * list of nodes to watch and names for them: which one takes writes is what the nodes report (see
 * {@link NodeRole}), so a failover needs no configuration change.
 */
public final class RouterConfig {
    public static final String DEFAULT_NAME = "db";
    public static final int DEFAULT_PRIMARY_POOL_SIZE = 10;
    public static final int DEFAULT_REPLICA_POOL_SIZE = 10;
    public static final Duration DEFAULT_MAX_REPLICATION_LAG = Duration.ofSeconds(5);
    public static final CausalReads DEFAULT_CAUSAL_READS = CausalReads.TOKEN;
    public static final Duration DEFAULT_CAUSAL_READ_TIMEOUT = Duration.ofSeconds(1);
    public static final ReplicaSelection DEFAULT_REPLICA_SELECTION = ReplicaSelection.ROUND_ROBIN;
    public static final boolean DEFAULT_PRIMARY_ACCEPTS_READS = true;
    public static final Duration DEFAULT_MONITOR_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long a write waits for a writer while a switch is under way (every node read-only, or two writable). One
     * second covers a planned switchover (fence the old writer, promote the new one: a few statements, in either
     * order) plus the router noticing it (it re-checks every node every 100 ms while writes wait), so such a switch
     * costs writers latency, not errors. A writer that is down is not waited for at all: it ends by a failover,
     * seconds away (db-failover waits 5 s before promoting), and holding requests through it would only pile up
     * threads behind an outage the client had better hear about, with a Retry-After.
     */
    public static final Duration DEFAULT_WRITER_WAIT_TIMEOUT = Duration.ofSeconds(1);
    /** Longer waits would hold request threads through a whole failover: answer and let the client retry instead. */
    public static final Duration MAX_WRITER_WAIT_TIMEOUT = Duration.ofSeconds(10);
    /** Names of the nodes given as {@code nodeUrls}: {@code node-1}, {@code node-2}... */
    public static final String NODE_NAME_PREFIX = "node-";
    /** HikariCP refuses shorter connection timeouts. */
    public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
    public static final int MAX_POOL_SIZE = 1000;

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:(mysql|mariadb)://[^/?#\\s]+(/[^?#\\s]*)?(\\?\\S*)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,40}");

    private final String name;
    private final String primaryUrl;
    private final List<String> replicaUrls;
    private final List<String> nodeUrls;
    private final Duration writerWaitTimeout;
    private final String username;
    private final String password;
    private final int primaryPoolSize;
    private final int replicaPoolSize;
    private final Duration maxReplicationLag;
    private final CausalReads causalReads;
    private final Duration causalReadTimeout;
    private final ReplicaSelection replicaSelection;
    private final boolean primaryAcceptsReads;
    private final Duration monitorInterval;
    private final Duration connectionTimeout;

    private RouterConfig(Builder b) {
        this.name = b.name;
        this.primaryUrl = b.primaryUrl;
        this.replicaUrls = List.copyOf(b.replicaUrls);
        this.nodeUrls = List.copyOf(b.nodeUrls);
        this.writerWaitTimeout = b.writerWaitTimeout;
        this.username = b.username;
        this.password = b.password;
        this.primaryPoolSize = b.primaryPoolSize;
        this.replicaPoolSize = b.replicaPoolSize;
        this.maxReplicationLag = b.maxReplicationLag;
        this.causalReads = b.causalReads;
        this.causalReadTimeout = b.causalReadTimeout;
        this.replicaSelection = b.replicaSelection;
        this.primaryAcceptsReads = b.primaryAcceptsReads;
        this.monitorInterval = b.monitorInterval;
        this.connectionTimeout = b.connectionTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Tags this router's meters ({@code router}) and names its pools ({@code <name>-primary}). */
    public String name() {
        return name;
    }

    /** The configured primary: a name and first guess only; null when the nodes were given as {@link #nodeUrls()}. */
    public String primaryUrl() {
        return primaryUrl;
    }

    /** The configured replicas (empty when the nodes were given as {@link #nodeUrls()}). */
    public List<String> replicaUrls() {
        return replicaUrls;
    }

    /** The plain node list, when given that way (else empty). */
    public List<String> nodeUrls() {
        return nodeUrls;
    }

    /** Every node with its name, in order: {@code primary, replica-1...} or {@code node-1, node-2...}. */
    public List<Node> nodes() {
        List<Node> all = new ArrayList<>();
        if (primaryUrl != null) {
            all.add(new Node("primary", primaryUrl));
            for (int i = 0; i < replicaUrls.size(); i++) {
                all.add(new Node("replica-" + (i + 1), replicaUrls.get(i)));
            }
        } else {
            for (int i = 0; i < nodeUrls.size(); i++) {
                all.add(new Node(NODE_NAME_PREFIX + (i + 1), nodeUrls.get(i)));
            }
        }
        return List.copyOf(all);
    }

    /** A node to watch: its fixed name and its URL. */
    public record Node(String name, String url) {
    }

    /** How long a write waits for a single writer while a switch is under way before it is refused. */
    public Duration writerWaitTimeout() {
        return writerWaitTimeout;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public int primaryPoolSize() {
        return primaryPoolSize;
    }

    public int replicaPoolSize() {
        return replicaPoolSize;
    }

    public Duration maxReplicationLag() {
        return maxReplicationLag;
    }

    public CausalReads causalReads() {
        return causalReads;
    }

    public Duration causalReadTimeout() {
        return causalReadTimeout;
    }

    public ReplicaSelection replicaSelection() {
        return replicaSelection;
    }

    public boolean primaryAcceptsReads() {
        return primaryAcceptsReads;
    }

    public Duration monitorInterval() {
        return monitorInterval;
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    @Override
    public String toString() {
        return "RouterConfig{name=" + name + ", primaryUrl=" + primaryUrl + ", replicaUrls=" + replicaUrls
                + ", nodeUrls=" + nodeUrls + ", writerWaitTimeout=" + writerWaitTimeout + ", username=" + username + ", primaryPoolSize=" + primaryPoolSize + ", replicaPoolSize="
                + replicaPoolSize + ", maxReplicationLag=" + maxReplicationLag + ", causalReads=" + causalReads
                + ", causalReadTimeout=" + causalReadTimeout + ", replicaSelection=" + replicaSelection
                + ", primaryAcceptsReads=" + primaryAcceptsReads + ", monitorInterval=" + monitorInterval
                + ", connectionTimeout=" + connectionTimeout + "}";
    }

    public static final class Builder {
        private String name = DEFAULT_NAME;
        private String primaryUrl;
        private List<String> replicaUrls = List.of();
        private List<String> nodeUrls = List.of();
        private Duration writerWaitTimeout = DEFAULT_WRITER_WAIT_TIMEOUT;
        private String username;
        private String password = "";
        private int primaryPoolSize = DEFAULT_PRIMARY_POOL_SIZE;
        private int replicaPoolSize = DEFAULT_REPLICA_POOL_SIZE;
        private Duration maxReplicationLag = DEFAULT_MAX_REPLICATION_LAG;
        private CausalReads causalReads = DEFAULT_CAUSAL_READS;
        private Duration causalReadTimeout = DEFAULT_CAUSAL_READ_TIMEOUT;
        private ReplicaSelection replicaSelection = DEFAULT_REPLICA_SELECTION;
        private boolean primaryAcceptsReads = DEFAULT_PRIMARY_ACCEPTS_READS;
        private Duration monitorInterval = DEFAULT_MONITOR_INTERVAL;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder primaryUrl(String url) {
            this.primaryUrl = url;
            return this;
        }

        public Builder replicaUrls(List<String> urls) {
            this.replicaUrls = urls == null ? null : new ArrayList<>(urls);
            return this;
        }

        /**
         * The nodes as a plain list, instead of {@link #primaryUrl}/{@link #replicaUrls}: no node is assumed to be the
         * primary. Named {@code node-1}, {@code node-2}... in this order.
         */
        public Builder nodeUrls(List<String> urls) {
            this.nodeUrls = urls == null ? null : new ArrayList<>(urls);
            return this;
        }

        /**
         * How long a write waits for a single writer while every node is read-only or several are writable; 0
         * refuses at once. A write finding the writer down is refused at once anyway.
         */
        public Builder writerWaitTimeout(Duration timeout) {
            this.writerWaitTimeout = timeout;
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder primaryPoolSize(int size) {
            this.primaryPoolSize = size;
            return this;
        }

        public Builder replicaPoolSize(int size) {
            this.replicaPoolSize = size;
            return this;
        }

        public Builder maxReplicationLag(Duration lag) {
            this.maxReplicationLag = lag;
            return this;
        }

        public Builder causalReads(CausalReads mode) {
            this.causalReads = mode;
            return this;
        }

        public Builder causalReadTimeout(Duration timeout) {
            this.causalReadTimeout = timeout;
            return this;
        }

        public Builder replicaSelection(ReplicaSelection selection) {
            this.replicaSelection = selection;
            return this;
        }

        public Builder primaryAcceptsReads(boolean accepts) {
            this.primaryAcceptsReads = accepts;
            return this;
        }

        public Builder monitorInterval(Duration interval) {
            this.monitorInterval = interval;
            return this;
        }

        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = timeout;
            return this;
        }

        /** Checks every field once; an {@link InvalidRouterConfigException} names the field and the bad value. */
        public RouterConfig build() {
            if (name == null || !NAME.matcher(name).matches()) {
                throw invalid("name", name, "is not 1-40 of [A-Za-z0-9_.-]");
            }
            if (nodeUrls == null) {
                throw invalid("nodeUrls", null, "must be a list (or leave it out and give primaryUrl)");
            }
            if (!nodeUrls.isEmpty()) {
                if (primaryUrl != null || (replicaUrls != null && !replicaUrls.isEmpty())) {
                    throw new InvalidRouterConfigException(
                            "nodeUrls: give either nodeUrls or primaryUrl/replicaUrls, not both");
                }
                checkUrls("nodeUrls", nodeUrls);
            } else {
                checkUrl("primaryUrl", primaryUrl);
                if (replicaUrls == null) {
                    throw invalid("replicaUrls", null, "must be a list (empty for no replicas)");
                }
                for (int i = 0; i < replicaUrls.size(); i++) {
                    if (primaryUrl.equals(replicaUrls.get(i))) {
                        throw invalid("replicaUrls[" + i + "]", replicaUrls.get(i), "is the primary's URL");
                    }
                }
                checkUrls("replicaUrls", replicaUrls);
            }
            if (username == null || username.isBlank()) {
                throw invalid("username", username, "must not be empty");
            }
            if (password == null) {
                throw invalid("password", null, "must not be null (empty is allowed)");
            }
            checkPoolSize("primaryPoolSize", primaryPoolSize);
            checkPoolSize("replicaPoolSize", replicaPoolSize);
            checkDuration("maxReplicationLag", maxReplicationLag, Duration.ZERO);
            if (causalReads == null) {
                throw invalid("causalReads", null, "must be one of NONE, TOKEN, FAST");
            }
            checkDuration("causalReadTimeout", causalReadTimeout, Duration.ZERO);
            if (replicaSelection == null) {
                throw invalid("replicaSelection", null, "must be one of ROUND_ROBIN, LEAST_IN_USE");
            }
            checkDuration("monitorInterval", monitorInterval, Duration.ofMillis(10));
            checkDuration("connectionTimeout", connectionTimeout, MIN_CONNECTION_TIMEOUT);
            checkDuration("writerWaitTimeout", writerWaitTimeout, Duration.ZERO);
            if (writerWaitTimeout.compareTo(MAX_WRITER_WAIT_TIMEOUT) > 0) {
                throw invalid("writerWaitTimeout", writerWaitTimeout, "must be at most " + MAX_WRITER_WAIT_TIMEOUT
                        + " (a write should not hang through a failover)");
            }
            return new RouterConfig(this);
        }

        private static void checkUrls(String field, List<String> urls) {
            for (int i = 0; i < urls.size(); i++) {
                checkUrl(field + "[" + i + "]", urls.get(i));
                for (int j = 0; j < i; j++) {
                    if (urls.get(i).equals(urls.get(j))) {
                        throw invalid(field + "[" + i + "]", urls.get(i), "repeats " + field + "[" + j + "]");
                    }
                }
            }
        }

        private static void checkUrl(String field, String url) {
            if (url == null || !JDBC_URL.matcher(url).matches()) {
                throw invalid(field, url, "is not a jdbc:mysql://host:port/database URL");
            }
        }

        private static void checkPoolSize(String field, int size) {
            if (size < 1 || size > MAX_POOL_SIZE) {
                throw invalid(field, size, "is not in 1.." + MAX_POOL_SIZE);
            }
        }

        private static void checkDuration(String field, Duration d, Duration min) {
            Objects.requireNonNull(min);
            if (d == null || d.compareTo(min) < 0) {
                throw invalid(field, d, "must be at least " + min);
            }
        }

        private static InvalidRouterConfigException invalid(String field, Object value, String problem) {
            String shown = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
            return new InvalidRouterConfigException(field + ": " + shown + " " + problem);
        }
    }
}
