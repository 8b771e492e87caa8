package com.foobar.balancer.tls;

import com.foobar.balancer.http.GuardedBalancer;
import com.foobar.balancer.testing.ForkedBalancer;
import com.foobar.balancer.testing.TestBackend;
import com.foobar.balancer.testing.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Both TLS engines, over real sockets: the same negotiated protocol and cipher for the same client (so switching the
 * engine changes no client's view of the policy), and session resumption on by default and off when configured.
 * Resumption is checked with {@code openssl s_client -sess_out}/{@code -sess_in} (a second connection offering the
 * first one's session or ticket), the client HAProxy's and nginx's own docs use for it.
 */
class TlsEngineTest {

    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static TestBackend web;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBackend() throws Exception {
        web = TestBackend.start("web-1");
    }

    @AfterAll
    static void stopBackend() {
        web.close();
    }

    private String yaml(LocalCertificateAuthority.Issued leaf, String engine, boolean resumption) {
        return "data_dir: \"" + dir.resolve("data") + "\"\n"
                + "listeners:\n"
                + "  - name: https\n"
                + "    bind: 127.0.0.1:0\n"
                + "    default_pool: web\n"
                + "    tls:\n"
                + "      certificates: [ { cert: \"" + leaf.cert() + "\", key: \"" + leaf.key() + "\" } ]\n"
                + "      engine: " + engine + "\n"
                + "      session_resumption: " + resumption + "\n"
                + "pools:\n"
                + "  web:\n"
                + "    servers: [ { name: web-1, address: \"" + web.address() + "\" } ]\n"
                + "admin: { bind: 127.0.0.1:0 }\n"
                + "access_log: off\n";
    }

    @Test
    void bothEnginesAcceptExactlyTheSameProtocolsAndCiphersAndSayWhichRuns() throws Exception {
        assumeThat(TlsTerminator.openSslUsable()).as("netty-tcnative loads on this platform").isTrue();
        LocalCertificateAuthority authority = new LocalCertificateAuthority(dir.resolve("ca"));
        LocalCertificateAuthority.Issued leaf = authority.ensureLeaf(List.of("www.foobar.com"));
        SSLContext trusting = TestTls.trusting(authority.caCertificate());
        // Every suite the JDK client knows, offered alone: what each engine accepts is the policy.
        String[] offered = trusting.getSupportedSSLParameters().getCipherSuites();
        List<List<String>> seen = new ArrayList<>();
        for (String engine : List.of("jdk", "openssl")) {
            try (GuardedBalancer b = GuardedBalancer.start(yaml(leaf, engine, true))) {
                assertThat(b.printed()).contains("tls: listener https uses the "
                        + (engine.equals("jdk") ? "JDK" : "OpenSSL") + " engine");
                assertThat(b.guards().tls("https").engine()).isEqualTo(engine);
                InetSocketAddress a = b.address("https");
                List<String> accepted = new ArrayList<>();
                for (String protocol : List.of("TLSv1.3", "TLSv1.2", "TLSv1.1")) {
                    for (String suite : offered) {
                        String negotiated = negotiate(trusting, a, protocol, suite);
                        if (negotiated != null) {
                            accepted.add(negotiated);
                        }
                    }
                }
                seen.add(accepted);
                // The JDK client's own preference order, for the record: TLS 1.2 lands on the server's first
                // suite with both engines; TLS 1.3's choice may differ (BoringSSL takes the client's order among
                // its AEAD suites, the JDK its own), within the same three suites.
                TlsTerminationTest.Exchange v12 = TlsTerminationTest.get(trusting, a, "www.foobar.com", "TLSv1.2");
                assertThat(v12.status()).isEqualTo(200);
                assertThat(v12.cipher()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
                TlsTerminationTest.Exchange v13 = TlsTerminationTest.get(trusting, a, "www.foobar.com", "TLSv1.3");
                assertThat(v13.status()).isEqualTo(200);
                assertThat(v13.cipher()).isIn("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");
            }
        }
        assertThat(seen.get(1)).as("openssl vs jdk").isEqualTo(seen.get(0));
        // An ECDSA certificate: the RSA suites of the list cannot be chosen by either engine.
        assertThat(seen.get(0)).containsExactly(
                "TLSv1.3 TLS_AES_256_GCM_SHA384", "TLSv1.3 TLS_AES_128_GCM_SHA256",
                "TLSv1.3 TLS_CHACHA20_POLY1305_SHA256",
                "TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLSv1.2 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void whereOpenSslCannotLoadAutoFallsBackToTheJdkAndOpensslFailsTheStartWithTheReason() throws Exception {
        // Netty's own switch makes netty-tcnative unavailable in a fresh JVM, as a platform without the native
        // library would (aarch64, musl...).
        LocalCertificateAuthority authority = new LocalCertificateAuthority(dir.resolve("ca"));
        LocalCertificateAuthority.Issued leaf = authority.ensureLeaf(List.of("www.foobar.com"));
        List<String> noOpenSsl = List.of("-Dio.netty.handler.ssl.noOpenSsl=true");
        Path auto = ForkedBalancer.writeConfig(dir, yaml(leaf, "auto", true));
        try (ForkedBalancer p = ForkedBalancer.start(noOpenSsl, "--config", auto.toString())) {
            InetSocketAddress a = p.awaitListener("https", Duration.ofSeconds(60));
            assertThat(p.stdout()).anySatisfy(l -> assertThat(l).startsWith(
                    "tls: listener https uses the JDK engine (OpenSSL cannot load here: ").endsWith(
                    "), session resumption on"));
            assertThat(TlsTerminationTest.get(TestTls.trusting(authority.caCertificate()), a, "www.foobar.com",
                    "TLSv1.3").status()).isEqualTo(200);
        }
        Path openssl = ForkedBalancer.writeConfig(dir, yaml(leaf, "openssl", true));
        try (ForkedBalancer p = ForkedBalancer.start(noOpenSsl, "--config", openssl.toString())) {
            assertThat(p.waitFor(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(p.stderr()).first().asString().startsWith(
                    "cannot start: listeners[0].tls: engine openssl: OpenSSL (netty-tcnative) cannot load here: ");
            assertThat(p.stderr()).noneSatisfy(l -> assertThat(l).contains("\tat "));
        }
    }

    /** "protocol suite" when a handshake offering only {@code suite} over {@code protocol} succeeds, else null. */
    private static String negotiate(SSLContext ctx, InetSocketAddress a, String protocol, String suite) {
        try (Socket plain = new Socket()) {
            plain.connect(a, 5_000);
            plain.setSoTimeout(5_000);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "www.foobar.com", a.getPort(),
                    false)) {
                SSLParameters p = s.getSSLParameters();
                p.setProtocols(new String[] {protocol});
                p.setCipherSuites(new String[] {suite});
                p.setServerNames(List.of(new SNIHostName("www.foobar.com")));
                s.setSSLParameters(p);
                s.startHandshake();
                return s.getSession().getProtocol() + " " + s.getSession().getCipherSuite();
            }
        } catch (IOException | IllegalArgumentException e) {
            return null; // refused by the server, or a combination the client itself will not offer
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void aSecondConnectionResumesByDefaultAndNotWhenResumptionIsOff(String engine) throws Exception {
        assumeThat(Files.isExecutable(OPENSSL)).as("openssl is the resuming client").isTrue();
        if (engine.equals("openssl")) {
            assumeThat(TlsTerminator.openSslUsable()).as("netty-tcnative loads on this platform").isTrue();
        }
        LocalCertificateAuthority authority = new LocalCertificateAuthority(dir.resolve("ca"));
        LocalCertificateAuthority.Issued leaf = authority.ensureLeaf(List.of("www.foobar.com"));
        try (GuardedBalancer b = GuardedBalancer.start(yaml(leaf, engine, true))) {
            InetSocketAddress a = b.address("https");
            assertThat(resumes(a, "-tls1_3")).as("TLS 1.3 ticket").isTrue();
            assertThat(resumes(a, "-tls1_2")).as("TLS 1.2 ticket or session id").isTrue();
        }
        if (engine.equals("jdk")) {
            // Off on the JDK means no stateless tickets process-wide, a switch read once when the JDK's TLS classes
            // load; in this test JVM they loaded long ago, so only the OpenSSL engine can show "off" here (bench/run
            // checks both engines in fresh processes).
            return;
        }
        try (GuardedBalancer b = GuardedBalancer.start(yaml(leaf, engine, false))) {
            assertThat(b.printed()).contains("session resumption off");
            InetSocketAddress a = b.address("https");
            assertThat(resumes(a, "-tls1_3")).as("TLS 1.3, resumption off").isFalse();
            assertThat(resumes(a, "-tls1_2")).as("TLS 1.2, resumption off").isFalse();
        }
    }

    /** Connects once saving the session (after a request, so TLS 1.3's ticket has arrived), then offers it again. */
    private boolean resumes(InetSocketAddress a, String version) throws Exception {
        Path session = Files.createTempFile(dir, "session", ".pem");
        String first = sClient(a, version, "-sess_out", session.toString());
        assertThat(first).contains("HTTP/1.1 200");
        if (Files.size(session) == 0) {
            return false; // the server gave nothing to resume with: no TLS 1.3 ticket
        }
        String second = sClient(a, version, "-sess_in", session.toString());
        assertThat(second).contains("HTTP/1.1 200");
        return second.lines().anyMatch(l -> l.startsWith("Reused,"));
    }

    private static String sClient(InetSocketAddress a, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(OPENSSL.toString(), "s_client", "-connect",
                "127.0.0.1:" + a.getPort(), "-servername", "www.foobar.com", "-ign_eof"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write("GET / HTTP/1.1\r\nHost: www.foobar.com\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static boolean handshakes(InetSocketAddress a, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(OPENSSL.toString(), "s_client", "-connect",
                "127.0.0.1:" + a.getPort(), "-servername", "www.foobar.com"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 && out.contains("Verify return code") && !out.contains("Cipher is (NONE)");
    }
}
