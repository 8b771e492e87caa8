package com.foobar.chaos.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * Where the shop is reached: the host name a browser would use ({@code www.foobar.com}, so the balancer routes it and
 * the Host header is the real one) and the address its name stands for here, as {@code curl --resolve} gives it; over
 * HTTPS, the one CA its certificate must come from, as {@code curl --cacert}.
 *
 * @param host      the name in the URL and the Host header, and over HTTPS the name the certificate must carry
 * @param address   where connections go: the balancer's public listener, or a virtual IP
 * @param trustedCa null for plain HTTP; else HTTPS, trusting this CA and nothing else (not the JDK's CAs)
 */
public record ShopEndpoint(String host, InetSocketAddress address, X509Certificate trustedCa) {

    /** Plain HTTP (the no-Docker stack's balancer listens so). */
    public ShopEndpoint(String host, InetSocketAddress address) {
        this(host, address, null);
    }

    /** HTTPS to {@code address}, with a certificate for {@code host} issued by {@code trustedCa}. */
    public static ShopEndpoint https(String host, InetSocketAddress address, X509Certificate trustedCa) {
        if (trustedCa == null) {
            throw new IllegalArgumentException("HTTPS needs the CA to trust");
        }
        return new ShopEndpoint(host, address, trustedCa);
    }

    public boolean tls() {
        return trustedCa != null;
    }

    public String baseUrl() {
        return (tls() ? "https://" : "http://") + host + ":" + address.getPort();
    }

    /** A CA certificate from a PEM file (the balancers' {@code tls/ca.pem}). */
    public static X509Certificate readCertificate(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (CertificateException e) {
            throw new IOException(pem + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return baseUrl() + " -> " + address.getHostString() + ":" + address.getPort()
                + (tls() ? " (trusting " + trustedCa.getSubjectX500Principal().getName() + " only)" : "");
    }
}
