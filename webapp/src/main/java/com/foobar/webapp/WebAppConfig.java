package com.foobar.webapp;

import com.foobar.dbrouter.RouterConfig;
import com.foobar.webapp.net.InvalidTrustedProxyException;
import com.foobar.webapp.net.TrustedProxies;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Immutable, validated configuration of one web server instance. Built from flags and environment variables by
 * {@link #fromArgs(String[], Map)} (flags win over environment), or programmatically with {@link #builder()}.
 */
public final class WebAppConfig {

    public static final int DEFAULT_PORT = 8081;
    public static final String DEFAULT_BIND = "0.0.0.0";
    public static final String DEFAULT_NAME = "web";
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(15);

    /** The ports the web server can listen on; 0 asks the system for any free one. */
    static final String LISTEN_PORTS = "0-65535, 0 for any free port";
    static final String ENV_PORT = "FOOBAR_PORT";
    static final String ENV_BIND = "FOOBAR_BIND";
    static final String ENV_NAME = "FOOBAR_NAME";
    static final String ENV_PRIMARY = "FOOBAR_DB_PRIMARY";
    static final String ENV_REPLICAS = "FOOBAR_DB_REPLICAS";
    static final String ENV_USER = "FOOBAR_DB_USER";
    static final String ENV_PASSWORD = "FOOBAR_DB_PASSWORD";
    static final String ENV_SHUTDOWN_TIMEOUT = "FOOBAR_SHUTDOWN_TIMEOUT";
    static final String ENV_CAUSAL_READ_TIMEOUT = "FOOBAR_DB_CAUSAL_READ_TIMEOUT";
    static final String ENV_WRITER_WAIT = "FOOBAR_DB_WRITER_WAIT";
    static final String ENV_TRUSTED_PROXIES = "FOOBAR_TRUSTED_PROXIES";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:(mysql|mariadb)://[^\\s/]+(/.*)?");

    static final String USAGE = String.join("\n",
            "Usage: java -jar webapp.jar [options]",
            "  --port N              listen port (default " + DEFAULT_PORT + ", env " + ENV_PORT + ")",
            "  --bind ADDRESS        listen address (default " + DEFAULT_BIND + ", env " + ENV_BIND + ")",
            "  --name NAME           instance name sent as X-Served-By (default " + DEFAULT_NAME + ", env " + ENV_NAME + ")",
            "  --primary JDBC_URL    primary database (env " + ENV_PRIMARY + ")",
            "  --replica JDBC_URL    a replica; repeat for more (env " + ENV_REPLICAS + ", comma-separated)",
            "  --db-user USER        database user (env " + ENV_USER + ")",
            "  --db-password PASS    database password (env " + ENV_PASSWORD + ")",
            "  --shutdown-timeout D  how long SIGTERM waits for in-flight requests, e.g. 15s (env "
                    + ENV_SHUTDOWN_TIMEOUT + ")",
            "  --db-causal-read-timeout D  how long a read carrying a consistency token waits for a replica"
                    + " before it goes to the primary (db-router default 1s; env " + ENV_CAUSAL_READ_TIMEOUT + ")",
            "  --db-writer-wait D    how long a write waits for a writable database node during a failover or"
                    + " switchover before it is answered 503, 0 to 10s (db-router default 1s; env " + ENV_WRITER_WAIT + ")",
            "  --trusted-proxies CIDR[,CIDR...]  only these peers (the load balancers) may send requests; others get"
                    + " 403 (except /health from loopback), and X-Forwarded-For is believed only from them"
                    + " (default: none, everyone is accepted; env " + ENV_TRUSTED_PROXIES + ")",
            "  --help                this text",
            "Without --primary, an embedded replicated MariaDB pair is started (not in webapp-slim.jar).",
            "--primary and --replica name the nodes to watch; which one takes writes is what the nodes report"
                    + " (read_only, replication), so a failover needs no restart.");

    private final int port;
    private final String bind;
    private final String name;
    private final String primaryUrl;
    private final List<String> replicaUrls;
    private final String dbUser;
    private final String dbPassword;
    private final Duration shutdownTimeout;
    private final Duration causalReadTimeout;
    private final Duration writerWait;
    private final TrustedProxies trustedProxies;

    private WebAppConfig(Builder b) {
        this.port = b.port;
        this.bind = b.bind;
        this.name = b.name;
        this.primaryUrl = b.primaryUrl;
        this.replicaUrls = List.copyOf(b.replicaUrls);
        this.dbUser = b.dbUser;
        this.dbPassword = b.dbPassword == null ? "" : b.dbPassword;
        this.shutdownTimeout = b.shutdownTimeout;
        this.causalReadTimeout = b.causalReadTimeout;
        this.writerWait = b.writerWait;
        this.trustedProxies = b.trustedProxies;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port to listen on; 0 picks a free one (tests). */
    public int port() {
        return port;
    }

    public String bind() {
        return bind;
    }

    public String name() {
        return name;
    }

    /** Empty when no database was given: the app then starts an embedded devdb pair. */
    public Optional<String> primaryUrl() {
        return Optional.ofNullable(primaryUrl);
    }

    public List<String> replicaUrls() {
        return replicaUrls;
    }

    public String dbUser() {
        return dbUser;
    }

    public String dbPassword() {
        return dbPassword;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** Empty: the db-router's default. */
    public Optional<Duration> causalReadTimeout() {
        return Optional.ofNullable(causalReadTimeout);
    }

    /** Empty: the db-router's default. */
    public Optional<Duration> writerWait() {
        return Optional.ofNullable(writerWait);
    }

    /** The load balancers' ranges; {@link TrustedProxies#NONE} accepts everyone and believes no forwarding header. */
    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    /** This configuration pointed at a database (used once an embedded pair has been started). */
    public WebAppConfig withDatabase(String primary, List<String> replicas, String user, String password) {
        return toBuilder().primaryUrl(primary).replicaUrls(replicas).dbUser(user).dbPassword(password).build();
    }

    public Builder toBuilder() {
        return builder().port(port).bind(bind).name(name).primaryUrl(primaryUrl).replicaUrls(replicaUrls)
                .dbUser(dbUser).dbPassword(dbPassword).shutdownTimeout(shutdownTimeout)
                .causalReadTimeout(causalReadTimeout).writerWait(writerWait).trustedProxies(trustedProxies);
    }

    /**
     * Reads flags, then fills what they leave out from the environment.
     *
     * @throws InvalidConfigException naming the flag or variable at fault
     */
    public static WebAppConfig fromArgs(String[] args, Map<String, String> env) {
        Builder b = builder();
        String port = null;
        String bind = null;
        String name = null;
        String primary = null;
        List<String> replicas = new ArrayList<>();
        String user = null;
        String password = null;
        String shutdown = null;
        String causal = null;
        String writerWait = null;
        String trusted = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!flag.equals("--help") && !isKnown(flag)) {
                throw new InvalidConfigException("unknown option " + flag + " (see --help)");
            }
            if (flag.equals("--help")) {
                throw new HelpRequested();
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new InvalidConfigException(flag + ": needs a value");
                }
                value = args[++i];
            }
            switch (flag) {
                case "--port" -> port = value;
                case "--bind" -> bind = value;
                case "--name" -> name = value;
                case "--primary" -> primary = value;
                case "--replica" -> replicas.add(value);
                case "--db-user" -> user = value;
                case "--db-password" -> password = value;
                case "--shutdown-timeout" -> shutdown = value;
                case "--db-causal-read-timeout" -> causal = value;
                case "--db-writer-wait" -> writerWait = value;
                case "--trusted-proxies" -> trusted = value;
                default -> throw new IllegalStateException(flag);
            }
        }
        b.port(port != null ? parsePort("--port", port) : env.containsKey(ENV_PORT)
                ? parsePort(ENV_PORT, env.get(ENV_PORT)) : DEFAULT_PORT);
        b.bind(check("--bind", bind, ENV_BIND, env, DEFAULT_BIND));
        b.name(check("--name", name, ENV_NAME, env, DEFAULT_NAME));
        b.shutdownTimeout(shutdown != null ? parseDuration("--shutdown-timeout", shutdown)
                : env.containsKey(ENV_SHUTDOWN_TIMEOUT)
                        ? parseDuration(ENV_SHUTDOWN_TIMEOUT, env.get(ENV_SHUTDOWN_TIMEOUT))
                        : DEFAULT_SHUTDOWN_TIMEOUT);
        if (causal != null) {
            b.causalReadTimeout(parseDuration("--db-causal-read-timeout", causal));
        } else if (blankToNull(env.get(ENV_CAUSAL_READ_TIMEOUT)) != null) {
            b.causalReadTimeout(parseDuration(ENV_CAUSAL_READ_TIMEOUT, env.get(ENV_CAUSAL_READ_TIMEOUT)));
        }
        if (writerWait != null) {
            b.writerWait(parseWriterWait("--db-writer-wait", writerWait));
        } else if (blankToNull(env.get(ENV_WRITER_WAIT)) != null) {
            b.writerWait(parseWriterWait(ENV_WRITER_WAIT, env.get(ENV_WRITER_WAIT)));
        }
        b.trustedProxies(trusted != null ? parseTrustedProxies("--trusted-proxies", trusted)
                : parseTrustedProxies(ENV_TRUSTED_PROXIES, env.get(ENV_TRUSTED_PROXIES)));
        b.primaryUrl(primary != null ? primary : blankToNull(env.get(ENV_PRIMARY)));
        if (!replicas.isEmpty()) {
            b.replicaUrls(replicas);
        } else if (env.get(ENV_REPLICAS) != null && !env.get(ENV_REPLICAS).isBlank()) {
            List<String> fromEnv = new ArrayList<>();
            for (String url : env.get(ENV_REPLICAS).split(",")) {
                if (!url.isBlank()) {
                    fromEnv.add(url.trim());
                }
            }
            b.replicaUrls(fromEnv);
        }
        b.dbUser(user != null ? user : blankToNull(env.get(ENV_USER)));
        b.dbPassword(password != null ? password : env.get(ENV_PASSWORD));
        b.sources(primary != null ? "--primary" : ENV_PRIMARY, !replicas.isEmpty() ? "--replica" : ENV_REPLICAS,
                user != null || primary != null ? "--db-user" : ENV_USER);
        return b.build();
    }

    private static boolean isKnown(String flag) {
        return switch (flag) {
            case "--port", "--bind", "--name", "--primary", "--replica", "--db-user", "--db-password",
                    "--shutdown-timeout", "--db-causal-read-timeout", "--db-writer-wait", "--trusted-proxies" -> true;
            default -> false;
        };
    }

    private static String check(String flag, String value, String envName, Map<String, String> env, String dflt) {
        if (value != null) {
            return value;
        }
        String fromEnv = blankToNull(env.get(envName));
        return fromEnv != null ? fromEnv : dflt;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static int parsePort(String source, String value) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidConfigException(source + ": \"" + value + "\" is not a port number (" + LISTEN_PORTS + ")");
    }

    static TrustedProxies parseTrustedProxies(String source, String value) {
        try {
            return TrustedProxies.parse(value);
        } catch (InvalidTrustedProxyException e) {
            throw new InvalidConfigException(source + e.getMessage());
        }
    }

    static Duration parseWriterWait(String source, String value) {
        Duration d = value.trim().equals("0") ? Duration.ZERO : parseDuration(source, value);
        if (d.compareTo(RouterConfig.MAX_WRITER_WAIT_TIMEOUT) > 0) {
            throw new InvalidConfigException(source + ": \"" + value + "\" is more than "
                    + RouterConfig.MAX_WRITER_WAIT_TIMEOUT.toSeconds() + "s (a write should not hang through a failover)");
        }
        return d;
    }

    static Duration parseDuration(String source, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidConfigException(source + ": \"" + value + "\" is not a duration (e.g. 500ms, 15s, 1m)");
    }

    /** Thrown by {@link #fromArgs} for {@code --help}; the caller prints {@link #USAGE}. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super(null, null, false, false);
        }
    }

    public static final class Builder {
        private int port = DEFAULT_PORT;
        private String bind = DEFAULT_BIND;
        private String name = DEFAULT_NAME;
        private String primaryUrl;
        private List<String> replicaUrls = List.of();
        private String dbUser;
        private String dbPassword;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration causalReadTimeout;
        private Duration writerWait;
        private TrustedProxies trustedProxies = TrustedProxies.NONE;
        private String primarySource = "primaryUrl";
        private String replicasSource = "replicaUrls";
        private String userSource = "dbUser";

        private Builder() {
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder bind(String bind) {
            this.bind = bind;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder primaryUrl(String primaryUrl) {
            this.primaryUrl = primaryUrl;
            return this;
        }

        public Builder replicaUrls(List<String> replicaUrls) {
            this.replicaUrls = List.copyOf(replicaUrls);
            return this;
        }

        public Builder dbUser(String dbUser) {
            this.dbUser = dbUser;
            return this;
        }

        public Builder dbPassword(String dbPassword) {
            this.dbPassword = dbPassword;
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        /** Null keeps the db-router's default. */
        public Builder causalReadTimeout(Duration causalReadTimeout) {
            this.causalReadTimeout = causalReadTimeout;
            return this;
        }

        /** Null keeps the db-router's default ({@code writerWaitTimeout}). */
        public Builder writerWait(Duration writerWait) {
            this.writerWait = writerWait;
            return this;
        }

        /** {@link TrustedProxies#NONE} (the default): everyone is accepted. */
        public Builder trustedProxies(TrustedProxies trustedProxies) {
            this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
            return this;
        }

        Builder sources(String primary, String replicas, String user) {
            this.primarySource = primary;
            this.replicasSource = replicas;
            this.userSource = user;
            return this;
        }

        /** @throws InvalidConfigException naming the field at fault */
        public WebAppConfig build() {
            if (port < 0 || port > 65535) {
                throw new InvalidConfigException("port: \"" + port + "\" is not a port number (" + LISTEN_PORTS + ")");
            }
            try {
                InetAddress.getByName(Objects.requireNonNull(bind, "bind"));
            } catch (UnknownHostException e) {
                throw new InvalidConfigException("bind: \"" + bind + "\" is not an address of this host");
            }
            if (name == null || !NAME.matcher(name).matches()) {
                throw new InvalidConfigException("name: \"" + name
                        + "\" must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            if (primaryUrl != null && !JDBC_URL.matcher(primaryUrl).matches()) {
                throw new InvalidConfigException(primarySource + ": \"" + primaryUrl
                        + "\" is not a JDBC URL (jdbc:mysql://host:port/database)");
            }
            for (int i = 0; i < replicaUrls.size(); i++) {
                if (!JDBC_URL.matcher(replicaUrls.get(i)).matches()) {
                    throw new InvalidConfigException(replicasSource + "[" + i + "]: \"" + replicaUrls.get(i)
                            + "\" is not a JDBC URL (jdbc:mysql://host:port/database)");
                }
            }
            if (primaryUrl == null && !replicaUrls.isEmpty()) {
                throw new InvalidConfigException(replicasSource + ": replicas given without a primary ("
                        + ENV_PRIMARY + " or --primary)");
            }
            if (primaryUrl != null && (dbUser == null || dbUser.isBlank())) {
                throw new InvalidConfigException(userSource + ": a database user is required with a primary ("
                        + ENV_USER + " or --db-user)");
            }
            if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
                throw new InvalidConfigException("shutdownTimeout: must be zero or more");
            }
            if (causalReadTimeout != null && (causalReadTimeout.isNegative() || causalReadTimeout.isZero())) {
                throw new InvalidConfigException("causalReadTimeout: must be more than zero");
            }
            if (writerWait != null && (writerWait.isNegative()
                    || writerWait.compareTo(RouterConfig.MAX_WRITER_WAIT_TIMEOUT) > 0)) {
                throw new InvalidConfigException("writerWait: must be 0 to "
                        + RouterConfig.MAX_WRITER_WAIT_TIMEOUT.toSeconds() + "s");
            }
            return new WebAppConfig(this);
        }
    }
}
