package com.foobar.chaos.load;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A server's certificate checked as {@code curl --cacert ca.pem --resolve www.foobar.com:443:<address>} checks it: its
 * chain must end at the one CA given (the balancers' tls.auto CA, not the JDK's CAs), and it must name the site,
 * whatever address was dialled. Needed because Jetty's client hands the TLS engine the address it dials (the VIP, or
 * 127.0.0.1 for a published port) as the peer host, and the JDK's HTTPS identification would compare the certificate
 * with that address; the balancers' certificate names no address.
 *
 * <p>Extended, so that the JDK's engine leaves the whole check to it instead of adding its own by address. Names are
 * compared exactly (DNS names are case-insensitive); a wildcard is not accepted: tls.auto issues none.
 */
final class SiteTrustManager extends X509ExtendedTrustManager {

    /** RFC 5280, 4.2.1.6: the type of a dNSName in a subject alternative name. */
    private static final int DNS_NAME = 2;

    private final X509TrustManager chain;
    private final String site;

    private SiteTrustManager(X509TrustManager chain, String site) {
        this.chain = chain;
        this.site = site;
    }

    /** Trusts only {@code ca}, and only a certificate that names {@code site}. */
    static SiteTrustManager of(X509Certificate ca, String site) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("site-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return new SiteTrustManager(x509, site);
                }
            }
            throw new IllegalStateException("the JDK offers no X.509 trust manager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a trust manager of the CA " + ca.getSubjectX500Principal()
                    + ": " + e, e);
        }
    }

    /** A TLS context whose only trust is this manager. */
    SSLContext context() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {this}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        // The two-argument form of the JDK's own manager: the chain, its dates and usages, against our CA only; no
        // host check, which is ours below.
        chain.checkServerTrusted(certs, authType);
        List<String> names = dnsNames(certs[0]);
        if (names.stream().noneMatch(name -> name.toLowerCase(Locale.ROOT).equals(site.toLowerCase(Locale.ROOT)))) {
            throw new CertificateException("the server's certificate does not name " + site + " (it names "
                    + names + ")");
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
        // This is a client's trust: it never accepts a client's certificate.
        throw new CertificateException("a client's trust manager does not check clients");
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

    static List<String> dnsNames(X509Certificate cert) throws CertificateParsingException {
        Collection<List<?>> alternatives = cert.getSubjectAlternativeNames();
        if (alternatives == null) {
            return List.of();
        }
        return alternatives.stream().filter(a -> Integer.valueOf(DNS_NAME).equals(a.get(0)))
                .map(a -> (String) a.get(1)).toList();
    }
}
