package com.foobar.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ObsFoldDetectorTest {

    private static final String VALID = "GET /a HTTP/1.1\r\nHost: foobar.com\r\nX-Empty:\r\nAccept: */*\r\n\r\n";
    private static final String FOLDED = "GET /a HTTP/1.1\r\nHost: foobar.com\r\nX-Long: one\r\n  two\r\n\r\n";
    private static final String BAD_VERSION = "GET /a HTTP/2.0\r\nHost: foobar.com\r\n\r\n";

    /** Feeds {@code request} in two reads split at {@code at}; returns the statuses refused (empty when passed). */
    private static List<Integer> feedSplit(String request, int at) {
        List<Integer> refused = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ObsFoldDetector((ctx, method, uri, status, bytes) -> refused.add(status)));
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        ch.writeInbound(Unpooled.wrappedBuffer(bytes, 0, at));
        if (refused.isEmpty()) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, bytes.length - at));
        }
        if (refused.isEmpty()) {
            int passed = 0;
            ByteBuf b;
            while ((b = ch.readInbound()) != null) {
                passed += b.readableBytes();
                b.release();
            }
            assertThat(passed).as("bytes passed on for split at %d", at).isEqualTo(bytes.length);
        }
        ch.finishAndReleaseAll();
        return refused;
    }

    @Test
    void passesAValidRequestWhereverTheReadsSplitIt() {
        for (int at = 0; at <= VALID.length(); at++) {
            assertThat(feedSplit(VALID, at)).as("split at %d", at).isEmpty();
        }
    }

    @Test
    void refusesObsFoldWhereverTheReadsSplitIt() {
        for (int at = 0; at <= FOLDED.length(); at++) {
            assertThat(feedSplit(FOLDED, at)).as("split at %d", at).containsExactly(400);
        }
    }

    @Test
    void namesTheRefusedRequestLineForTheAccessLogWhereverTheReadsSplitIt() {
        for (int at = 0; at <= FOLDED.length(); at++) {
            List<String> refused = new ArrayList<>();
            EmbeddedChannel ch = new EmbeddedChannel(new ObsFoldDetector(
                    (ctx, method, uri, status, bytes) -> refused.add(method + " " + uri + " " + status)));
            byte[] bytes = FOLDED.getBytes(StandardCharsets.US_ASCII);
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, 0, at));
            if (refused.isEmpty()) {
                ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, bytes.length - at));
            }
            assertThat(refused).as("split at %d", at).containsExactly("GET /a 400");
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void refusesAnUnknownVersionWhereverTheReadsSplitTheRequestLine() {
        for (int at = 0; at <= BAD_VERSION.length(); at++) {
            assertThat(feedSplit(BAD_VERSION, at)).as("split at %d", at).containsExactly(400);
        }
    }

    @Test
    void refusesBadlyShapedRequestLinesWhetherInOneReadOrSplit() {
        for (String line : new String[] {"GET  /a HTTP/1.1", "GET /a  HTTP/1.1", "GET /a HTTP/1.1 x", " GET /a HTTP/1.1",
                "GET /a", "GET /a HTTP/1.10"}) {
            String request = line + "\r\nHost: a\r\n\r\n";
            for (int at = 0; at <= request.length(); at++) {
                assertThat(feedSplit(request, at)).as("%s split at %d", line, at).containsExactly(400);
            }
        }
    }

    @Test
    void leavesTheBodyUnscannedSoALeadingSpaceInItIsFine() {
        assertThat(feedSplit("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n abc", 10)).isEmpty();
    }
}
