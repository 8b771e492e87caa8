package com.foobar.bench.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BackendServerTest {

    private static BackendServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws InterruptedException {
        server = BackendServer.start(new BackendOptions("web-1", new InetSocketAddress("127.0.0.1", 0), 1, 100));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void answersGetWithTheRequestedNumberOfBytesAndNamesItself() throws Exception {
        HttpResponse<byte[]> response = get("/bytes/100");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(100);
        assertThat(response.headers().firstValue("x-backend")).hasValue("web-1");
        assertThat(response.headers().firstValue("content-length")).hasValue("100");
    }

    @Test
    void answersAnyOtherGetWithTheDefaultBodySize() throws Exception {
        assertThat(get("/").body()).hasSize(100);
    }

    @Test
    void streamsBodiesLargerThanTheCacheWithTheExactLength() throws Exception {
        int size = 3 * BodyCache.MAX_CACHED_BYTES + 12_345;

        HttpResponse<byte[]> response = get("/bytes/" + size);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(size);
        assertThat(response.body()[BodyCache.CHUNK_BYTES]).isEqualTo((byte) 'a');
    }

    @Test
    void readsAPostBodyAndSaysHowManyBytesArrived() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/upload"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[65_536]))
                        .timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("received 65536 bytes\n");
    }

    @Test
    void echoesTheRequestHeadersItReceived() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/echo"))
                        .header("X-Forwarded-For", "192.0.2.7").timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).startsWith("GET /echo HTTP/1.1\n").contains("X-Forwarded-For: 192.0.2.7\n");
    }

    @Test
    void refusesASizeThatIsNotANumberWith400AndAReason() throws Exception {
        HttpResponse<byte[]> response = get("/bytes/12x");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new String(response.body())).isEqualTo("\"12x\" is not a byte count\n");
    }

    @Test
    void parsesOnlyNonNegativeDecimalSizes() {
        assertThat(BackendHandler.parseSize("0")).isZero();
        assertThat(BackendHandler.parseSize("1073741824")).isEqualTo(1L << 30);
        assertThat(BackendHandler.parseSize("")).isEqualTo(-1);
        assertThat(BackendHandler.parseSize("-1")).isEqualTo(-1);
        assertThat(BackendHandler.parseSize("1234567890123456")).isEqualTo(-1);
    }
}
