package com.foobar.balancer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.foobar.balancer.config.HttpLimitsConfig.UnderscorePolicy;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestChecksHandlerTest {

    private final List<String> asked = new ArrayList<>();
    private final List<Integer> rejected = new ArrayList<>();
    private EmbeddedChannel ch;

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    private HeadCheck recording(String name, HeadCheck check) {
        return head -> {
            asked.add(name);
            return check.check(head);
        };
    }

    private void start(HeadCheck... checks) {
        ch = new EmbeddedChannel(new RequestChecksHandler((ctx, method, uri, status, bytes) -> rejected.add(status),
                List.of(checks), null));
    }

    private static HttpRequest get(String uri, String... headers) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        r.headers().set("host", "www.foobar.com");
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    @Test
    void aHeadThatPassesEveryCheckGoesOnWithItsBody() {
        start(recording("strict", new StrictSyntaxCheck(StrictSyntaxCheck.DECODER_CHECKS_TARGET)),
                recording("underscores", new UnderscoreCheck(UnderscorePolicy.REJECT)));

        ch.writeInbound(get("/a"), LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(asked).containsExactly("strict", "underscores");
        HttpRequest passed = ch.readInbound();
        assertThat(passed.uri()).isEqualTo("/a");
        assertThat((Object) ch.readInbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(rejected).isEmpty();
    }

    @Test
    void theFirstCheckThatRefusesAnswersAndTheRestAreNotAsked() {
        start(recording("strict", new StrictSyntaxCheck(StrictSyntaxCheck.DECODER_CHECKS_TARGET)),
                recording("underscores", new UnderscoreCheck(UnderscorePolicy.REJECT)));

        ch.writeInbound(get("/a", "host", "second.example", "x_user", "root"), LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(asked).containsExactly("strict");
        FullHttpResponse answer = ch.readOutbound();
        assertThat(answer.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(answer.content().toString(StandardCharsets.UTF_8))
                .isEqualTo("400 Bad Request: several Host headers\n");
        answer.release();
        assertThat((Object) ch.readInbound()).as("nothing after a refused head reaches the proxy").isNull();
        assertThat(ch.isOpen()).isFalse();
        assertThat(rejected).containsExactly(400);
    }

    @Test
    void aCheckThatDropsWhatItDoesNotLetThroughPassesTheRestOfTheHead() {
        start(new UnderscoreCheck(UnderscorePolicy.DROP));

        ch.writeInbound(get("/a", "x_auth_user", "admin", "x-auth-user", "alice"));

        HttpRequest passed = ch.readInbound();
        assertThat(passed.headers().names()).containsExactlyInAnyOrder("host", "x-auth-user");
        assertThat(passed.headers().get("x-auth-user")).isEqualTo("alice");
    }

    @Test
    void anHttp2PathOverTheLimitIs414() {
        start(new StrictSyntaxCheck(16));

        ch.writeInbound(get("/" + "a".repeat(20)));

        FullHttpResponse answer = ch.readOutbound();
        assertThat(answer.status()).isEqualTo(HttpResponseStatus.REQUEST_URI_TOO_LONG);
        answer.release();
    }
}
