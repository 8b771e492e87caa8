package com.foobar.balancer.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole balancer configuration, validated by {@link ConfigLoader}. Pools keep their declaration order.
 *
 * @param workers event loops (threads) serving connections, as HAProxy's {@code nbthread} and nginx's
 *                {@code worker_processes}; {@link #AUTO_WORKERS} for one per core
 */
public record BalancerConfig(List<ListenerConfig> listeners, Map<String, PoolConfig> pools, AdminConfig admin,
        ClientTimeouts clientTimeouts, AccessLogConfig accessLog, Path dataDir, DnsConfig dns, int workers) {

    /** One worker per core the JVM sees. */
    public static final int AUTO_WORKERS = 0;
    public static final int MAX_WORKERS = 256;

    /** Where generated state lives (the {@code tls.auto} CA and certificates), relative to the working directory. */
    public static final Path DEFAULT_DATA_DIR = Path.of("data", "balancer");

    public BalancerConfig(List<ListenerConfig> listeners, Map<String, PoolConfig> pools, AdminConfig admin,
            ClientTimeouts clientTimeouts, AccessLogConfig accessLog) {
        this(listeners, pools, admin, clientTimeouts, accessLog, DEFAULT_DATA_DIR);
    }

    public BalancerConfig(List<ListenerConfig> listeners, Map<String, PoolConfig> pools, AdminConfig admin,
            ClientTimeouts clientTimeouts, AccessLogConfig accessLog, Path dataDir) {
        this(listeners, pools, admin, clientTimeouts, accessLog, dataDir, DnsConfig.DEFAULT);
    }

    public BalancerConfig(List<ListenerConfig> listeners, Map<String, PoolConfig> pools, AdminConfig admin,
            ClientTimeouts clientTimeouts, AccessLogConfig accessLog, Path dataDir, DnsConfig dns) {
        this(listeners, pools, admin, clientTimeouts, accessLog, dataDir, dns, AUTO_WORKERS);
    }

    public BalancerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        listeners = List.copyOf(listeners);
        pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(clientTimeouts, "clientTimeouts");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(dns, "dns");
        if (workers < AUTO_WORKERS || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers " + workers + " is out of range 0-" + MAX_WORKERS);
        }
    }

    /** How many event loops to run: the configured number, or one per core the JVM sees. */
    public int workerCount() {
        return workers == AUTO_WORKERS ? Runtime.getRuntime().availableProcessors() : workers;
    }

    /** This configuration with {@code other} as its pools. */
    public BalancerConfig withPools(Map<String, PoolConfig> other) {
        return new BalancerConfig(listeners, other, admin, clientTimeouts, accessLog, dataDir, dns, workers);
    }

    /** The listener of that name, or null. */
    public ListenerConfig listener(String name) {
        for (ListenerConfig l : listeners) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        return null;
    }
}
