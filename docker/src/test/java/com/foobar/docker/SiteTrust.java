package com.foobar.docker;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * The TLS trust of a client that dials the site by address but checks it by name, as `curl --cacert ca.pem --resolve
 * www.foobar.com:443:<address>` does: the server's chain must end at the balancers' CA (tls.auto, copied out of the
 * lb-data volume) and its certificate must name the site, whatever address was dialled (the VIP, a published port on
 * 127.0.0.1). The JDK's HTTP client has no --resolve, and checks a certificate against the host of the URI.
 */
final class SiteTrust {

    private SiteTrust() {
    }

    /** An SSL context that trusts only {@code caPem} and only a certificate naming {@code siteName}. */
    static SSLContext forSite(Path caPem, String siteName) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            store.setCertificateEntry("foobar-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        X509TrustManager chain = (X509TrustManager) factory.getTrustManagers()[0];
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {new NamedSite(chain, siteName)}, null);
        return context;
    }

    /**
     * Checks the chain with the JDK's own trust manager (the two-argument form, which checks no host), then the name.
     * Extended, so that the JDK's engine leaves the endpoint check to it instead of comparing against the address.
     */
    private static final class NamedSite extends X509ExtendedTrustManager {
        private final X509TrustManager chain;
        private final String name;

        NamedSite(X509TrustManager chain, String name) {
            this.chain = chain;
            this.name = name;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
            chain.checkServerTrusted(certs, authType);
            if (!dnsNames(certs[0]).contains(name)) {
                throw new CertificateException("the certificate does not name " + name + ": " + dnsNames(certs[0]));
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(certs, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(certs, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
            throw new CertificateException("a client's trust, not a server's");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(certs, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(certs, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return chain.getAcceptedIssuers();
        }

        private static List<String> dnsNames(X509Certificate cert) throws CertificateParsingException {
            Collection<List<?>> alternatives = cert.getSubjectAlternativeNames();
            if (alternatives == null) {
                return List.of();
            }
            // Type 2 is dNSName (RFC 5280, 4.2.1.6).
            return alternatives.stream().filter(a -> Integer.valueOf(2).equals(a.get(0)))
                    .map(a -> (String) a.get(1)).toList();
        }
    }
}
