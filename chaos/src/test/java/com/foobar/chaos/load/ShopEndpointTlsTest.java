package com.foobar.chaos.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.Base64;
import javax.net.ssl.ExtendedSSLSession;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shop over HTTPS as compose mode reaches it, through the client the load uses: dialled at an address (here
 * 127.0.0.1, there the VIP or a published port) with a certificate that names www.foobar.com, foobar.com and localhost
 * and no address, from a CA of the test's making. Jetty on loopback serves it, as in LoadGeneratorTest: what name is
 * checked depends on what Jetty's client hands its TLS engine (the dialled address, it turned out), so only a real
 * handshake shows it; {@link SiteTrustManagerTest} checks the rule itself without one.
 */
class ShopEndpointTlsTest {

    private static final String SITE = "www.foobar.com";

    private static TestCertificates.Issued ca;
    private static Server server;
    private static InetSocketAddress address;

    @BeforeAll
    static void serveTheSite() throws Exception {
        ca = TestCertificates.ca("chaos test CA");
        TestCertificates.Issued site = TestCertificates.site(ca, SITE, "foobar.com", "localhost");

        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("site", site.keys().getPrivate(), "test".toCharArray(),
                new Certificate[] {site.certificate(), ca.certificate()});
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keyStore);
        tls.setKeyStorePassword("test");

        server = new Server();
        HttpConfiguration https = new HttpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                // What the balancer would route on: the Host header, and the name the client asked for by SNI.
                EndPoint.SslSessionData tlsData = (EndPoint.SslSessionData) request
                        .getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
                String sni = tlsData == null ? "none"
                        : ((ExtendedSSLSession) tlsData.sslSession()).getRequestedServerNames().toString();
                Content.Sink.write(response, true, "host=" + request.getHeaders().get(HttpHeader.HOST)
                        + " secure=" + request.isSecure() + " sni=" + sni, callback);
                return true;
            }
        });
        server.start();
        address = new InetSocketAddress("127.0.0.1", connector.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Test
    void dialsTheAddressAndChecksTheCertificateForTheSiteName() throws Exception {
        ShopEndpoint endpoint = ShopEndpoint.https(SITE, address, ca.certificate());
        assertThat(endpoint.baseUrl()).isEqualTo("https://www.foobar.com:" + address.getPort());

        try (ShopClient shop = new ShopClient(endpoint)) {
            ContentResponse r = shop.get("/");

            assertThat(r.getStatus()).isEqualTo(200);
            // The certificate names no address, so only the name can have passed the check.
            assertThat(r.getContentAsString()).isEqualTo("host=www.foobar.com:" + address.getPort()
                    + " secure=true sni=[type=host_name (0), value=www.foobar.com]");
            assertThat(r.getVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        }
    }

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefused() {
        ShopEndpoint endpoint = ShopEndpoint.https("shop.example", address, ca.certificate());

        try (ShopClient shop = new ShopClient(endpoint)) {
            assertThatThrownBy(() -> shop.get("/")).isInstanceOf(IOException.class)
                    .hasRootCauseInstanceOf(CertificateException.class)
                    .hasMessageContaining("does not name shop.example");
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        ShopEndpoint endpoint = ShopEndpoint.https(SITE, address, TestCertificates.ca("chaos test CA").certificate());

        try (ShopClient shop = new ShopClient(endpoint)) {
            assertThatThrownBy(() -> shop.get("/")).isInstanceOf(IOException.class)
                    .hasMessageContaining("PKIX path");
        }
    }

    @Test
    void withoutACaTheEndpointStaysPlainHttp() {
        ShopEndpoint plain = new ShopEndpoint(SITE, new InetSocketAddress("127.0.0.1", 8080));

        assertThat(plain.tls()).isFalse();
        assertThat(plain.baseUrl()).isEqualTo("http://www.foobar.com:8080");
        assertThat(plain).hasToString("http://www.foobar.com:8080 -> 127.0.0.1:8080");
        assertThatThrownBy(() -> ShopEndpoint.https(SITE, address, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsThePemTheBalancersWrite(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("ca.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(ca.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Path garbage = dir.resolve("empty.pem");
        Files.writeString(garbage, "not a certificate\n");

        assertThat(ShopEndpoint.readCertificate(pem)).isEqualTo(ca.certificate());
        assertThatThrownBy(() -> ShopEndpoint.readCertificate(garbage)).isInstanceOf(IOException.class)
                .hasMessageContaining("empty.pem is not a PEM certificate");
    }
}
