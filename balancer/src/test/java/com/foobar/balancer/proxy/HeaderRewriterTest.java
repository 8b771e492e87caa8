package com.foobar.balancer.proxy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderRewriterTest {

    @Test
    void removesConnectionNamedAndFixedHopByHopHeadersAndReportsChunking() {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        r.headers().add("Connection", "close, X-A").add("Connection", "x-b ,").add("X-A", "1").add("X-B", "2")
                .add("Keep-Alive", "timeout=5").add("Proxy-Authorization", "x").add("PROXY-Foo", "y")
                .add("TE", "trailers").add("Trailer", "X-Sum").add("Upgrade", "h2c")
                .add("Transfer-Encoding", "chunked").add("X-Keep", "k");
        assertThat(HeaderRewriter.removeHopByHop(r)).isTrue();
        assertThat(r.headers().names()).containsExactly("X-Keep");
    }

    @Test
    void notChunkedWithoutTransferEncoding() {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        assertThat(HeaderRewriter.removeHopByHop(r)).isFalse();
    }

    @Test
    void appendsForwardedForAndViaFoldingRepeatedLines() {
        HttpHeaders h = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/").headers();
        HeaderRewriter.appendForwardedFor(h, "127.0.0.1");
        assertThat(h.get("x-forwarded-for")).isEqualTo("127.0.0.1");
        h.set("x-forwarded-for", "1.1.1.1").add("x-forwarded-for", "2.2.2.2");
        HeaderRewriter.appendForwardedFor(h, "127.0.0.1");
        assertThat(h.getAll("x-forwarded-for")).containsExactly("1.1.1.1, 2.2.2.2, 127.0.0.1");
        HeaderRewriter.appendVia(h, "1.0");
        HeaderRewriter.appendVia(h, "1.1");
        assertThat(h.get("via")).isEqualTo("1.0 foobar-balancer, 1.1 foobar-balancer");
    }

    @Test
    void requestIdIsKeptOnlyWhenSaneAndSingle() {
        assertThat(HeaderRewriter.isSaneRequestId("3f2a9c1e-7b4d-4e8a-9c2f-1a2b3c4d5e6f")).isTrue();
        assertThat(HeaderRewriter.isSaneRequestId("Zm9vYmFy+/=")).isTrue();
        assertThat(HeaderRewriter.isSaneRequestId("")).isFalse();
        assertThat(HeaderRewriter.isSaneRequestId("a b")).isFalse();
        assertThat(HeaderRewriter.isSaneRequestId("x".repeat(129))).isFalse();
        HttpHeaders h = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/").headers();
        h.add("x-request-id", "a").add("x-request-id", "b");
        String id = HeaderRewriter.ensureRequestId(h);
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(h.getAll("x-request-id")).containsExactly(id);
        assertThat(HeaderRewriter.newRequestId()).isNotEqualTo(HeaderRewriter.newRequestId());
    }
}
