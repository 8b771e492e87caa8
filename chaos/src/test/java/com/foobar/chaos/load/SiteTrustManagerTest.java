package com.foobar.chaos.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trust manager on certificates made in memory: no handshake, no socket. */
class SiteTrustManagerTest {

    private static TestCertificates.Issued ca;
    private static TestCertificates.Issued site;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TestCertificates.ca("chaos test CA");
        site = TestCertificates.site(ca, "www.foobar.com", "foobar.com", "localhost");
    }

    private static X509Certificate[] chain(TestCertificates.Issued leaf) {
        return new X509Certificate[] {leaf.certificate(), ca.certificate()};
    }

    @Test
    void acceptsTheSiteCertificateOfItsCaForEachNameItCarries() {
        for (String name : new String[] {"www.foobar.com", "foobar.com", "WWW.Foobar.COM"}) {
            assertThatCode(() -> SiteTrustManager.of(ca.certificate(), name)
                    .checkServerTrusted(chain(site), "ECDHE_ECDSA")).as(name).doesNotThrowAnyException();
        }
    }

    @Test
    void refusesACertificateThatDoesNotNameTheSite() throws Exception {
        TestCertificates.Issued other = TestCertificates.site(ca, "shop.example");

        assertThatThrownBy(() -> SiteTrustManager.of(ca.certificate(), "www.foobar.com")
                .checkServerTrusted(chain(other), "ECDHE_ECDSA")).isInstanceOf(CertificateException.class)
                .hasMessage("the server's certificate does not name www.foobar.com (it names [shop.example])");
        // The address dialled is never a name the certificate is checked for.
        assertThatThrownBy(() -> SiteTrustManager.of(ca.certificate(), "10.213.10.10")
                .checkServerTrusted(chain(site), "ECDHE_ECDSA")).isInstanceOf(CertificateException.class);
        // No wildcard matching: a sub-domain is another name.
        assertThatThrownBy(() -> SiteTrustManager.of(ca.certificate(), "shop.foobar.com")
                .checkServerTrusted(chain(site), "ECDHE_ECDSA")).isInstanceOf(CertificateException.class);
    }

    @Test
    void refusesACertificateFromAnotherCaEvenOfTheSameName() throws Exception {
        // Same subject, other key: only the signature tells the two CAs apart.
        TestCertificates.Issued impostor = TestCertificates.ca("chaos test CA");
        TestCertificates.Issued forged = TestCertificates.site(impostor, "www.foobar.com");

        assertThatThrownBy(() -> SiteTrustManager.of(ca.certificate(), "www.foobar.com").checkServerTrusted(
                new X509Certificate[] {forged.certificate(), impostor.certificate()}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void trustsNothingElseAndNoClient() {
        SiteTrustManager trust = SiteTrustManager.of(ca.certificate(), "www.foobar.com");

        assertThat(trust.getAcceptedIssuers()).containsExactly(ca.certificate());
        assertThatThrownBy(() -> trust.checkClientTrusted(chain(site), "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }
}
