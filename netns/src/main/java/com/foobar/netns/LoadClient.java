package com.foobar.netns;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A steady keep-alive GET load, run inside the client namespace ({@code ip netns exec <client> java -cp ...
 * com.foobar.netns.LoadClient URL CERT MAX_REQUESTS MAX_SECONDS PAUSE_MS}): one JDK HttpClient (HTTP/1.1, a kept
 * connection, re-opened after a failure), one request at a time, {@code PAUSE_MS} apart, bounded in count and time.
 * Prints one line per request, {@code ok <epoch ms> <status> <X-Served-By>} or {@code fail <epoch ms> <reason>},
 * which the test reads as they come.
 */
public final class LoadClient {
    private LoadClient() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: LoadClient URL CERT_PEM MAX_REQUESTS MAX_SECONDS PAUSE_MS");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
        int maxRequests = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
        long pauseMillis = Long.parseLong(args[4]);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .sslContext(trusting(Path.of(args[1])))
                .build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).GET().build();
        System.out.println("start " + System.currentTimeMillis() + " " + uri);
        for (int i = 0; i < maxRequests && System.nanoTime() < deadline; i++) {
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                String servedBy = r.headers().firstValue("X-Served-By").orElse("-");
                System.out.println((r.statusCode() == 200 ? "ok " : "fail ") + System.currentTimeMillis() + " "
                        + r.statusCode() + " " + servedBy);
            } catch (Exception e) {
                System.out.println("fail " + System.currentTimeMillis() + " " + e.getClass().getSimpleName() + ": "
                        + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
            System.out.flush();
            Thread.sleep(pauseMillis);
        }
        System.out.println("end " + System.currentTimeMillis());
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("foobar", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
