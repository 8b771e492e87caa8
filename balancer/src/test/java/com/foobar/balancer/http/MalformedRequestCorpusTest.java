package com.foobar.balancer.http;

import com.foobar.balancer.testing.TestBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays each file of {@code src/test/resources/malformed} ({@code NNN-STATUS-name.http}, raw bytes) over a raw
 * socket to a guarded listener and checks the status, that the connection is closed, and that the backend received
 * nothing. Valid but odd requests must still pass.
 */
class MalformedRequestCorpusTest {

    private static TestBackend web;
    private static GuardedBalancer balancer;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        web = TestBackend.start("web-1");
        balancer = GuardedBalancer.start("listeners:\n"
                + "  - name: public\n"
                + "    bind: 127.0.0.1:0\n"
                + "    default_pool: web\n"
                + "    max_body_size: 1k\n"
                + "    headers_with_underscores: reject\n"
                + "pools:\n"
                + "  web:\n"
                + "    servers: [ { name: web-1, address: \"" + web.address() + "\" } ]\n"
                + "admin: { bind: 127.0.0.1:0 }\n"
                + "client_timeouts: { header: 2s, idle: 10s }\n"
                + "access_log: off\n");
        address = balancer.address("public");
    }

    @AfterAll
    static void stop() {
        balancer.close();
        web.close();
    }

    static List<Path> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(MalformedRequestCorpusTest.class.getResource("/malformed").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".http")).sorted().toList();
        }
    }

    @Test
    void theCorpusHasAtLeastSixtyCases() throws Exception {
        assertThat(corpus()).hasSizeGreaterThanOrEqualTo(60);
    }

    @TestFactory
    Stream<DynamicTest> eachMalformedRequestIsAnsweredClosedAndNeverReachesAServer() throws Exception {
        return corpus().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            int expected = Integer.parseInt(file.getFileName().toString().split("-")[1]);
            int before = web.requests();
            Reply reply = replay(Files.readAllBytes(file));
            assertThat(reply.status).as("status for %s, got: %s", file.getFileName(), reply.head).isEqualTo(expected);
            assertThat(reply.closed).as("connection closed after %s", file.getFileName()).isTrue();
            assertThat(web.requests()).as("backend requests after %s", file.getFileName()).isEqualTo(before);
        }));
    }

    @Test
    void oddButValidRequestsStillPass() throws Exception {
        int before = web.requests();
        for (String valid : List.of(
                "OPTIONS * HTTP/1.1\r\nHost: www.foobar.com\r\nConnection: close\r\n\r\n",
                "GET http://www.foobar.com/abs?q=1 HTTP/1.1\r\nHost: www.foobar.com\r\nConnection: close\r\n\r\n",
                "GET http://WWW.foobar.com:80/abs HTTP/1.1\r\nHost: www.foobar.com\r\nConnection: close\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: www.foobar.com\r\nX-Empty:\r\nX-Empty-Space: \r\nConnection: close\r\n\r\n",
                "POST /c HTTP/1.1\r\nHost: www.foobar.com\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                        + "3\r\nabc\r\n0\r\n\r\n",
                "GET / HTTP/1.0\r\n\r\n")) {
            Reply r = replay(valid.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(r.status).as(valid).isEqualTo(200);
        }
        assertThat(web.requests()).isEqualTo(before + 6);
        assertThat(web.recorded().get(web.recorded().size() - 3).header("x-empty")).isEmpty();
    }

    @Test
    void aClientSendingOneBytePerSecondIsClosedWith408() throws Exception {
        int before = web.requests();
        byte[] head = "GET /slow HTTP/1.1\r\nHost: www.foobar.com\r\nX-Slow: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        long started = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(address, 5_000);
            s.setSoTimeout(100);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int sent = 0;
            // Bounded: at most 10 bytes (10 s); the 2 s header timeout must end it long before.
            while (sent < 10 && got.size() == 0) {
                try {
                    out.write(head[sent++]);
                    out.flush();
                } catch (SocketException closed) {
                    break;
                }
                long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                while (System.nanoTime() < until) {
                    try {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        got.write(b);
                    } catch (java.net.SocketTimeoutException idle) {
                        if (got.size() > 0) {
                            break;
                        }
                    }
                }
            }
            s.setSoTimeout(5_000);
            byte[] rest = in.readAllBytes();
            got.write(rest);
            assertThat(got.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 408");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        assertThat(web.requests()).isEqualTo(before);
    }

    record Reply(int status, String head, boolean closed) {
    }

    static Reply replay(byte[] bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, 5_000);
            s.setSoTimeout(5_000);
            try {
                s.getOutputStream().write(bytes);
                s.getOutputStream().flush();
            } catch (SocketException e) {
                // the balancer may answer and close before it has read everything; read what it said
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean closed;
            try {
                byte[] buf = new byte[8192];
                int n;
                while ((n = s.getInputStream().read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
                closed = true;
            } catch (java.net.SocketTimeoutException e) {
                closed = false;
            } catch (SocketException reset) {
                closed = true; // unread request bytes make the close a reset
            }
            String text = got.toString(StandardCharsets.ISO_8859_1);
            String head = text.isEmpty() ? "(nothing)" : text.lines().findFirst().orElse("");
            int status = head.startsWith("HTTP/1.1 ") && head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
            return new Reply(status, head, closed);
        }
    }
}
