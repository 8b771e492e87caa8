package com.foobar.balancer.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A pool of upstream servers and how to balance, check and talk to them. {@code hashKey} (nullable) is used by
 * consistent-hash only: {@code header:NAME | cookie:NAME | path | source-ip}. {@code healthCheck} null means no active
 * checks. {@code resolveInterval} is the longest a server name's answer is used before DNS is asked again (nginx's
 * {@code resolve valid=}, Envoy's {@code dns_refresh_rate}); zero resolves once. {@code discover} (nullable) is a
 * {@code name:port} whose every address record is a server of the pool besides {@code servers} (Docker's
 * {@code tasks.<service>}, a Kubernetes headless service; HAProxy's {@code server-template}), asked again on the same
 * schedule.
 */
public record PoolConfig(String name, String algorithm, String hashKey, List<ServerConfig> servers,
        HealthCheckConfig healthCheck, OutlierDetectionConfig outlierDetection, Duration slowStart, int retries,
        Duration connectTimeout, Duration responseTimeout, KeepAliveConfig keepAlive,
        ProxyHeadersConfig proxyHeaders, Duration resolveInterval, HostPort discover) {
    public static final String DEFAULT_ALGORITHM = "round-robin";
    public static final String DEFAULT_HASH_KEY = "source-ip";
    public static final Duration DEFAULT_SLOW_START = Duration.ZERO;
    public static final int DEFAULT_RETRIES = 2;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RESOLVE_INTERVAL = Duration.ofSeconds(5);

    public PoolConfig(String name, String algorithm, String hashKey, List<ServerConfig> servers,
            HealthCheckConfig healthCheck, OutlierDetectionConfig outlierDetection, Duration slowStart, int retries,
            Duration connectTimeout, Duration responseTimeout, KeepAliveConfig keepAlive,
            ProxyHeadersConfig proxyHeaders) {
        this(name, algorithm, hashKey, servers, healthCheck, outlierDetection, slowStart, retries, connectTimeout,
                responseTimeout, keepAlive, proxyHeaders, DEFAULT_RESOLVE_INTERVAL, null);
    }

    public PoolConfig(String name, String algorithm, String hashKey, List<ServerConfig> servers,
            HealthCheckConfig healthCheck, OutlierDetectionConfig outlierDetection, Duration slowStart, int retries,
            Duration connectTimeout, Duration responseTimeout, KeepAliveConfig keepAlive,
            ProxyHeadersConfig proxyHeaders, Duration resolveInterval) {
        this(name, algorithm, hashKey, servers, healthCheck, outlierDetection, slowStart, retries, connectTimeout,
                responseTimeout, keepAlive, proxyHeaders, resolveInterval, null);
    }

    public PoolConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(algorithm, "algorithm");
        servers = List.copyOf(servers);
        Objects.requireNonNull(outlierDetection, "outlierDetection");
        Objects.requireNonNull(slowStart, "slowStart");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(proxyHeaders, "proxyHeaders");
        Objects.requireNonNull(resolveInterval, "resolveInterval");
    }

    /** This pool with {@code list} as its servers (the configured ones and those DNS discovery found). */
    public PoolConfig withServers(List<ServerConfig> list) {
        return new PoolConfig(name, algorithm, hashKey, list, healthCheck, outlierDetection, slowStart, retries,
                connectTimeout, responseTimeout, keepAlive, proxyHeaders, resolveInterval, discover);
    }

    /** The server of that name, or null. */
    public ServerConfig server(String serverName) {
        for (ServerConfig s : servers) {
            if (s.name().equals(serverName)) {
                return s;
            }
        }
        return null;
    }
}
