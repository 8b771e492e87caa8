package com.foobar.balancer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorRepliesTest {

    @Test
    void everyAnswerIsOnePlainTextLineThatStartsWithItsStatus() {
        FullHttpResponse r = ErrorReplies.response(UnpooledByteBufAllocator.DEFAULT, HttpResponseStatus.BAD_GATEWAY,
                "server web-1 closed the connection", false);
        try {
            assertThat(r.content().toString(StandardCharsets.UTF_8))
                    .isEqualTo("502 Bad Gateway: server web-1 closed the connection\n");
            assertThat(r.headers().get("content-type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(r.headers().getInt("content-length")).isEqualTo(r.content().readableBytes());
            assertThat(r.headers().get("cache-control")).isEqualTo("no-store");
            assertThat(r.headers().contains("connection")).isFalse();
            assertThat(r.headers().contains("retry-after")).isFalse();
        } finally {
            r.release();
        }
    }

    @Test
    void aServiceUnavailableTellsWhenToRetryAndARefusalCloses() {
        FullHttpResponse r = ErrorReplies.response(HttpResponseStatus.SERVICE_UNAVAILABLE, "no usable server");
        try {
            assertThat(r.headers().get("retry-after")).isEqualTo(ErrorReplies.RETRY_AFTER_SECONDS);
            assertThat(r.headers().get("connection")).isEqualTo("close");
        } finally {
            r.release();
        }
    }

    /** What a handler below the codec writes is the same answer, as an HTTP client reads it off the wire. */
    @Test
    void encodedBytesAreTheSameAnswerOnTheWire() {
        byte[] wire = ErrorReplies.encoded(HttpResponseStatus.REQUEST_TIMEOUT, "request headers not received within 5s");

        EmbeddedChannel client = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1024));
        client.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        client.releaseOutbound();
        client.writeInbound(Unpooled.wrappedBuffer(wire));
        FullHttpResponse read = client.readInbound();
        try {
            assertThat(read.status()).isEqualTo(HttpResponseStatus.REQUEST_TIMEOUT);
            assertThat(read.content().toString(StandardCharsets.UTF_8))
                    .isEqualTo("408 Request Timeout: request headers not received within 5s\n");
            assertThat(read.headers().get("connection")).isEqualTo("close");
            assertThat(read.headers().get("cache-control")).isEqualTo("no-store");
        } finally {
            read.release();
            client.finishAndReleaseAll();
        }
    }
}
