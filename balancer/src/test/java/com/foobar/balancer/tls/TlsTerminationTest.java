package com.foobar.balancer.tls;

import com.foobar.balancer.config.TlsConfig;
import com.foobar.balancer.http.GuardedBalancer;
import com.foobar.balancer.testing.TestBackend;
import com.foobar.balancer.testing.TestTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class TlsTerminationTest {

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

    private static String yaml(Path dataDir, String tls) {
        return "data_dir: \"" + dataDir + "\"\n"
                + "listeners:\n"
                + "  - name: https\n"
                + "    bind: 127.0.0.1:0\n"
                + "    default_pool: web\n"
                + "    hsts: max-age=31536000\n"
                + "    tls:\n" + tls
                + "pools:\n"
                + "  web:\n"
                + "    servers: [ { name: web-1, address: \"" + web.address() + "\" } ]\n"
                + "admin: { bind: 127.0.0.1:0 }\n"
                + "access_log: off\n";
    }

    @Test
    void autoCertificatesVerifyAgainstThePrintedCaOverTls13And12AndOlderIsRefused() throws Exception {
        Path data = dir.resolve("data");
        try (GuardedBalancer b = GuardedBalancer.start(yaml(data, "      auto: [www.foobar.com, foobar.com]\n"))) {
            Matcher m = Pattern.compile("curl --cacert (\\S+) https://www\\.foobar\\.com:(\\d+)/").matcher(b.printed());
            assertThat(m.find()).as(b.printed()).isTrue();
            Path ca = Path.of(m.group(1));
            assertThat(ca).isEqualTo(data.resolve("tls/ca.pem").toAbsolutePath());
            for (Path key : List.of(data.resolve("tls/ca-key.pem"), data.resolve("tls/www.foobar.com-key.pem"))) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            }
            SSLContext trusting = TestTls.trusting(ca);
            InetSocketAddress a = b.address("https");

            Exchange v13 = get(trusting, a, "www.foobar.com", "TLSv1.3");
            assertThat(v13.status).isEqualTo(200);
            assertThat(v13.protocol).isEqualTo("TLSv1.3");
            assertThat(v13.headers).contains("strict-transport-security: max-age=31536000");
            assertThat(web.lastRequest().header("x-forwarded-proto")).isEqualTo("https");

            Exchange v12 = get(trusting, a, "foobar.com", "TLSv1.2");
            assertThat(v12.status).isEqualTo(200);
            assertThat(v12.protocol).isEqualTo("TLSv1.2");
            assertThat(v12.cipher).startsWith("TLS_ECDHE_").containsAnyOf("_GCM_", "_CHACHA20_POLY1305_");

            // The JDK refuses to offer TLS 1.1 itself, so a refusal from it proves little; the server side is
            // checked through what its engine enables, and with openssl when the machine has it.
            assertThatThrownBy(() -> get(trusting, a, "www.foobar.com", "TLSv1.1")).isInstanceOf(SSLException.class);
            assertThat(opensslAccepts(a, "-tls1_1")).isFalse();
            assertThat(opensslAccepts(a, "-tls1_2")).isTrue();

            // A second start reuses the CA and the leaf: clients that trust the CA keep trusting.
            byte[] caBytes = Files.readAllBytes(ca);
            try (GuardedBalancer again = GuardedBalancer.start(yaml(data, "      auto: [www.foobar.com, foobar.com]\n"))) {
                assertThat(Files.readAllBytes(ca)).isEqualTo(caBytes);
                assertThat(get(trusting, again.address("https"), "www.foobar.com", "TLSv1.3").status).isEqualTo(200);
            }
        }
    }

    @Test
    void sniPicksTheCertificateAndTheFirstIsTheDefault() throws Exception {
        LocalCertificateAuthority authority = new LocalCertificateAuthority(dir.resolve("ca"));
        LocalCertificateAuthority.Issued a = authority.ensureLeaf(List.of("a.example"));
        LocalCertificateAuthority.Issued bb = authority.ensureLeaf(List.of("b.example", "*.b.example"));
        String tls = "      certificates:\n"
                + "        - { cert: \"" + a.cert() + "\", key: \"" + a.key() + "\" }\n"
                + "        - { cert: \"" + bb.cert() + "\", key: \"" + bb.key() + "\" }\n";
        try (GuardedBalancer b = GuardedBalancer.start(yaml(dir.resolve("data"), tls))) {
            SSLContext trusting = TestTls.trusting(authority.caCertificate());
            InetSocketAddress addr = b.address("https");
            assertThat(get(trusting, addr, "b.example", "TLSv1.3").peerNames).contains("b.example");
            assertThat(get(trusting, addr, "www.b.example", "TLSv1.3").peerNames).contains("*.b.example");
            assertThat(get(trusting, addr, "a.example", "TLSv1.2").peerNames).containsExactly("a.example");
            assertThat(get(trusting, addr, null, "TLSv1.3").peerNames).containsExactly("a.example");
            assertThat(b.guards().tls("https").serverNames()).containsExactly("a.example", "b.example",
                    "*.b.example");
        }
    }

    @Test
    void changedCertificateFilesReloadForNewConnectionsWithoutDroppingOpenOnes() throws Exception {
        LocalCertificateAuthority first = new LocalCertificateAuthority(dir.resolve("ca1"));
        LocalCertificateAuthority second = new LocalCertificateAuthority(dir.resolve("ca2"));
        LocalCertificateAuthority.Issued old = first.ensureLeaf(List.of("www.foobar.com"));
        LocalCertificateAuthority.Issued next = second.ensureLeaf(List.of("www.foobar.com"));
        Path cert = dir.resolve("live.pem");
        Path key = dir.resolve("live-key.pem");
        Files.copy(old.cert(), cert);
        Files.copy(old.key(), key);
        String tls = "      certificates: [ { cert: \"" + cert + "\", key: \"" + key + "\" } ]\n";
        try (GuardedBalancer b = GuardedBalancer.start(yaml(dir.resolve("data"), tls))) {
            InetSocketAddress addr = b.address("https");
            SSLContext trustsFirst = TestTls.trusting(first.caCertificate());
            SSLContext trustsSecond = TestTls.trusting(second.caCertificate());
            try (Client open = Client.connect(trustsFirst, addr, "www.foobar.com", "TLSv1.3")) {
                assertThat(open.get().status).isEqualTo(200);

                Files.copy(next.key(), key, StandardCopyOption.REPLACE_EXISTING);
                Files.copy(next.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
                Files.setLastModifiedTime(cert, java.nio.file.attribute.FileTime.fromMillis(
                        System.currentTimeMillis() + 2_000));

                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .untilAsserted(() ->
                        assertThat(get(trustsSecond, addr, "www.foobar.com", "TLSv1.3").status).isEqualTo(200));
                assertThatThrownBy(() -> get(trustsFirst, addr, "www.foobar.com", "TLSv1.3"))
                        .isInstanceOf(SSLException.class);
                // The connection made before the reload still works with the certificate it negotiated.
                assertThat(open.get().status).isEqualTo(200);
                assertThat(b.events().after(0)).anySatisfy(e -> {
                    assertThat(e.kind()).isEqualTo("tls");
                    assertThat(e.subject()).isEqualTo("listener https");
                    assertThat(e.message()).isEqualTo("reloaded its certificates (www.foobar.com)");
                });
            }
        }
    }

    @Test
    void aMissingOrMismatchedCertificateFileFailsTheStartNamingTheListenerAndFile() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> GuardedBalancer.start(yaml(dir, "      certificates: [ { cert: \"" + missing
                + "\", key: \"" + missing + "\" } ]\n")))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage("listeners[0].tls: " + missing + ": no such file");
        LocalCertificateAuthority authority = new LocalCertificateAuthority(dir.resolve("ca"));
        LocalCertificateAuthority.Issued a = authority.ensureLeaf(List.of("a.example"));
        LocalCertificateAuthority.Issued b = authority.ensureLeaf(List.of("b.example"));
        assertThatThrownBy(() -> GuardedBalancer.start(yaml(dir, "      certificates: [ { cert: \"" + a.cert()
                + "\", key: \"" + b.key() + "\" } ]\n")))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage("listeners[0].tls: " + b.key() + " is not the private key of " + a.cert());
    }

    @Test
    void serverEnablesOnlyTls13And12WithEcdheAeadSuites() throws Exception {
        LocalCertificateAuthority authority = new LocalCertificateAuthority(dir.resolve("ca"));
        LocalCertificateAuthority.Issued leaf = authority.ensureLeaf(List.of("www.foobar.com"));
        TlsConfig config = new TlsConfig(List.of(new TlsConfig.Certificate(leaf.cert(), leaf.key())), List.of(),
                TlsConfig.DEFAULT_PROTOCOLS, TlsConfig.DEFAULT_ALPN);
        try (TlsTerminator t = TlsTerminator.create("https", config, dir, List.of("http/1.1"))) {
            assertThat(t.serverNames()).containsExactly("www.foobar.com");
        }
        assertThat(TlsTerminator.CIPHERS).allMatch(c -> c.startsWith("TLS_AES_") || c.startsWith("TLS_CHACHA20")
                || (c.startsWith("TLS_ECDHE_") && (c.contains("_GCM_") || c.contains("_CHACHA20_POLY1305_"))));
    }

    // ---- a tiny HTTPS/1.1 client on the JDK's SSLSocket, so SNI and protocol are under the test's control

    record Exchange(int status, String headers, String protocol, String cipher, List<String> peerNames) {
    }

    static final class Client implements AutoCloseable {
        final SSLSocket socket;

        private Client(SSLSocket socket) {
            this.socket = socket;
        }

        static Client connect(SSLContext ctx, InetSocketAddress a, String sni, String protocol) throws Exception {
            Socket plain = new Socket();
            plain.connect(a, 5_000);
            plain.setSoTimeout(5_000);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, sni == null ? "127.0.0.1" : sni,
                    a.getPort(), true);
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {protocol});
            p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            p.setEndpointIdentificationAlgorithm(sni == null ? null : "HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            return new Client(s);
        }

        Exchange get() throws Exception {
            OutputStream out = socket.getOutputStream();
            out.write("GET /tls HTTP/1.1\r\nHost: www.foobar.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            String status = in.readLine();
            StringBuilder headers = new StringBuilder();
            int length = 0;
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                headers.append(lower).append('\n');
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                }
            }
            for (int i = 0; i < length; i++) {
                in.read();
            }
            List<String> names = new ArrayList<>();
            X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            for (List<?> san : peer.getSubjectAlternativeNames()) {
                names.add(String.valueOf(san.get(1)));
            }
            return new Exchange(Integer.parseInt(status.split(" ")[1]), headers.toString(),
                    socket.getSession().getProtocol(), socket.getSession().getCipherSuite(), names);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    static Exchange get(SSLContext ctx, InetSocketAddress a, String sni, String protocol) throws Exception {
        try (Client c = Client.connect(ctx, a, sni, protocol)) {
            return c.get();
        }
    }

    /**
     * Whether {@code openssl s_client} completes a handshake with {@code versionFlag}. On a machine without openssl
     * the expectation is answered from the configuration: only 1.2 and 1.3 are enabled.
     */
    static boolean opensslAccepts(InetSocketAddress a, String versionFlag) throws Exception {
        Path openssl = Path.of("/usr/bin/openssl");
        if (!Files.isExecutable(openssl)) {
            return !versionFlag.equals("-tls1_1");
        }
        Process p = new ProcessBuilder(openssl.toString(), "s_client", "-connect", "127.0.0.1:" + a.getPort(),
                versionFlag, "-cipher", "DEFAULT:@SECLEVEL=0", "-servername", "www.foobar.com")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out.contains("Verify return code") && !out.contains("Cipher is (NONE)") && p.exitValue() == 0;
    }
}
