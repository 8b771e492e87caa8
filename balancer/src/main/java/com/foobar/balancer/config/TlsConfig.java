package com.foobar.balancer.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * TLS termination for a listener: either {@code certificates} (chosen by SNI, the first is the default) or
 * {@code auto} names, for which the balancer makes a local CA and a leaf certificate under its data directory.
 *
 * @param engine             {@code auto} (OpenSSL through netty-tcnative where its native library loads, else the
 *                           JDK's SSLEngine), {@code openssl} (fail the start where it cannot load) or {@code jdk}
 * @param sessionResumption  whether clients may resume a session (tickets, or the session cache) instead of a full
 *                           handshake; on by default, as in HAProxy and nginx
 */
public record TlsConfig(List<Certificate> certificates, List<String> auto, List<String> protocols,
        List<String> alpn, String engine, boolean sessionResumption) {

    public static final String ENGINE_AUTO = "auto";
    public static final String ENGINE_OPENSSL = "openssl";
    public static final String ENGINE_JDK = "jdk";
    public static final List<String> ENGINES = List.of(ENGINE_AUTO, ENGINE_OPENSSL, ENGINE_JDK);

    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final List<String> SUPPORTED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final List<String> DEFAULT_ALPN = List.of("h2", "http/1.1");
    public static final List<String> SUPPORTED_ALPN = List.of("h2", "http/1.1");

    /** A PEM certificate chain and its PEM private key. */
    public record Certificate(Path cert, Path key) {
        public Certificate {
            Objects.requireNonNull(cert, "cert");
            Objects.requireNonNull(key, "key");
        }
    }

    public TlsConfig(List<Certificate> certificates, List<String> auto, List<String> protocols, List<String> alpn) {
        this(certificates, auto, protocols, alpn, ENGINE_AUTO, true);
    }

    public TlsConfig {
        if (!ENGINES.contains(engine)) {
            throw new IllegalArgumentException("engine " + engine + " is not one of " + ENGINES);
        }
        certificates = List.copyOf(certificates);
        auto = List.copyOf(auto);
        protocols = List.copyOf(protocols);
        alpn = List.copyOf(alpn);
        if (certificates.isEmpty() == auto.isEmpty()) {
            throw new IllegalArgumentException("exactly one of certificates and auto");
        }
    }
}
