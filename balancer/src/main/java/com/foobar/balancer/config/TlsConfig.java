package com.foobar.balancer.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * TLS termination for a listener: either {@code certificates} (chosen by SNI, the first is the default) or
 * {@code auto} names, for which the balancer makes a local CA and a leaf certificate under its data directory.
 */
public record TlsConfig(List<Certificate> certificates, List<String> auto, List<String> protocols,
        List<String> alpn) {

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

    public TlsConfig {
        certificates = List.copyOf(certificates);
        auto = List.copyOf(auto);
        protocols = List.copyOf(protocols);
        alpn = List.copyOf(alpn);
        if (certificates.isEmpty() == auto.isEmpty()) {
            throw new IllegalArgumentException("exactly one of certificates and auto");
        }
    }
}
