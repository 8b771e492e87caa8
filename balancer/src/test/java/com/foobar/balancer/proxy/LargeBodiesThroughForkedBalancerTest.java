package com.foobar.balancer.proxy;

import com.foobar.balancer.testing.BalancerYaml;
import com.foobar.balancer.testing.ForkedBalancer;
import com.foobar.balancer.testing.Patterns;
import com.foobar.balancer.testing.RawHttp;
import com.foobar.balancer.testing.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies stream with backpressure: 1 GiB each way through a balancer whose heap is 128 MiB. */
class LargeBodiesThroughForkedBalancerTest {

    static final long GIB = 1024L * 1024 * 1024;

    @TempDir
    static Path dir;
    static TestBackend backend;
    static ForkedBalancer balancer;
    static InetSocketAddress address;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start("big");
        Path config = ForkedBalancer.writeConfig(dir, BalancerYaml.create().defaultPool("web")
                .pool("web", "    response_timeout: 60s\n", backend).build());
        balancer = ForkedBalancer.start(List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError"), "--config",
                config.toString());
        address = balancer.awaitListener("public", Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        backend.close();
    }

    @Test
    @Timeout(120)
    void oneGibibyteUploadStreamsThroughA128MiBHeap() throws Exception {
        // A raw socket writes as fast as the balancer takes it, so only the balancer's backpressure bounds memory.
        try (RawHttp raw = new RawHttp(address, 60_000)) {
            raw.send("POST /consume HTTP/1.1\r\nHost: x\r\nContent-Length: " + GIB + "\r\n\r\n").sendPattern(GIB);
            RawHttp.Response r = raw.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("bytes=" + GIB + " crc32=" + Patterns.crc32(GIB));
        }
        assertThat(balancer.isAlive()).isTrue();
    }

    @Test
    @Timeout(120)
    void oneGibibyteDownloadStreamsThroughA128MiBHeap() throws Exception {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + address.getPort() + "/stream?bytes=" + GIB)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        CRC32 crc = new CRC32();
        long count = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[256 * 1024];
            int n;
            while ((n = in.read(buf)) != -1) {
                crc.update(buf, 0, n);
                count += n;
            }
        }
        assertThat(count).isEqualTo(GIB);
        assertThat(crc.getValue()).isEqualTo(Patterns.crc32(GIB));
        assertThat(balancer.isAlive()).isTrue();
    }
}
