package com.foobar.balancer.proxy;

import com.foobar.balancer.upstream.FailureKind;
import com.foobar.balancer.upstream.UpstreamServer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.foobar.balancer.proxy.ExchangeFixture.content;
import static com.foobar.balancer.proxy.ExchangeFixture.get;
import static com.foobar.balancer.proxy.ExchangeFixture.last;
import static com.foobar.balancer.proxy.ExchangeFixture.post;
import static com.foobar.balancer.proxy.ExchangeFixture.response;
import static com.foobar.balancer.proxy.ExchangeFixture.written;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exchange's state machine without sockets: each failure it can meet, in each {@link ExchangePhase} it can
 * meet it in, and what the client, the upstream connection and the server's counters get. The same behaviours over
 * real sockets are in {@link RetriesTest}, {@link TimeoutsAndErrorsTest} and {@link StreamingAndPipeliningTest}.
 */
class ProxyExchangeTest {

    private ExchangeFixture f;
    private EmbeddedChannel client;

    /** A fixture with {@code poolExtras} in the pool, and one client connection on it. */
    private void start(String poolExtras) throws Exception {
        f = new ExchangeFixture(poolExtras);
        client = f.client();
    }

    /** The client sends a bodyless GET and its connect succeeds: the exchange is forwarding on the returned channel. */
    private EmbeddedChannel getForwarded() {
        client.writeInbound(get("/"), LastHttpContent.EMPTY_LAST_CONTENT);
        return f.connect();
    }

    /** The balancer answered {@code status} saying {@code why} before asking any server for a connection. */
    private void assertRefused(int status, String why, boolean connectionStaysOpen) {
        assertThat(written(client)).singleElement().asString().startsWith(status + " ").contains(why);
        assertThat(client.isOpen()).isEqualTo(connectionStaysOpen);
        assertThat(f.connector.all).isEmpty();
    }

    /**
     * The one attempt failed and the client got the balancer's {@code status} naming that server and {@code why}; the
     * server counts the failure and has nothing in flight.
     */
    private UpstreamServer assertAnsweredForTheOneServer(int status, String why) {
        assertThat(f.connector.all).as("attempts").hasSize(1);
        UpstreamServer s = f.connector.last().server();
        assertThat(written(client)).singleElement().asString().startsWith(status + " ")
                .contains("server " + s.name() + " (" + s.address() + ") " + why);
        assertThat(s.failures()).isEqualTo(1);
        assertIdle(s);
        return s;
    }

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private static void assertIdle(UpstreamServer... servers) {
        for (UpstreamServer s : servers) {
            assertThat(s.inFlight()).as(s.name() + " in flight").isZero();
        }
    }

    private static String body(String line) {
        return line.substring(line.indexOf("end:") + 4);
    }

    // ---- a whole exchange -------------------------------------------------------------------------------------------

    @Test
    void aCompleteExchangeGoesThroughEveryPhaseAndReturnsTheConnectionToThePool() throws Exception {
        start("");
        client.writeInbound(get("/a"), LastHttpContent.EMPTY_LAST_CONTENT);
        ProxyExchange ex = f.exchange();
        assertThat(ex.phase()).isEqualTo(ExchangePhase.CONNECTING);

        EmbeddedChannel up = f.connect();
        assertThat(ex.phase()).isEqualTo(ExchangePhase.FORWARDING);
        assertThat(written(up)).containsExactly("GET /a", "end:");

        up.writeInbound(response(200, 2));
        assertThat(ex.phase()).isEqualTo(ExchangePhase.RESPONDING);
        up.writeInbound(last("ok"));
        assertThat(ex.phase()).isEqualTo(ExchangePhase.DONE);
        assertThat(written(client)).containsExactly("200", "end:ok");
        assertThat(client.isOpen()).isTrue();
        assertThat(up.isOpen()).isTrue();
        assertThat(f.connector.released).containsExactly(up.pipeline().get(BackendHandler.class));
        UpstreamServer s = f.connector.last().server();
        assertThat(s.requests()).isEqualTo(1);
        assertThat(s.failures()).isZero();
        assertIdle(s);
    }

    @Test
    void theNextRequestOnTheConnectionTakesThePooledUpstreamConnection() throws Exception {
        start("");
        client.writeInbound(get("/1"), LastHttpContent.EMPTY_LAST_CONTENT);
        EmbeddedChannel up = f.connect();
        up.writeInbound(response(200, 1), last("1"));
        BackendHandler pooled = f.connector.released.get(0);
        f.connector.idle.add(pooled);
        written(up);

        // Only the pooled connection's server is usable, so the pick is certain.
        for (UpstreamServer s : f.upstreams.pool("web").servers()) {
            if (s != pooled.server()) {
                s.drain();
            }
        }
        client.writeInbound(get("/2"), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(f.connector.requests).as("no new connect").isEmpty();
        assertThat(written(up)).containsExactly("GET /2", "end:");
        up.writeInbound(response(200, 1), last("2"));
        assertThat(written(client)).containsExactly("200", "end:1", "200", "end:2");
        assertThat(f.connector.released).hasSize(2);
    }

    @Test
    void eventsAfterTheEndAreIgnored() throws Exception {
        start("");
        client.writeInbound(get("/"), LastHttpContent.EMPTY_LAST_CONTENT);
        ProxyExchange ex = f.exchange();
        EmbeddedChannel up = f.connect();
        BackendHandler h = up.pipeline().get(BackendHandler.class);
        up.writeInbound(response(204, 0), LastHttpContent.EMPTY_LAST_CONTENT);
        UpstreamServer s = h.server();
        long requests = s.requests();

        ex.upstreamFailed(h, FailureKind.CONNECTION_RESET, "late");
        ex.responseTimerFired(h);
        ex.upstreamMessage(h, last("stray"));
        ex.onClientClosed();
        assertThat(ex.connected(s, h)).isFalse();

        assertThat(written(client)).containsExactly("204", "end:");
        assertThat(client.isOpen()).isTrue();
        assertThat(s.requests()).isEqualTo(requests);
        assertThat(s.failures()).isZero();
        assertIdle(s);
    }

    // ---- ROUTING ----------------------------------------------------------------------------------------------------

    @Test
    void aMalformedHeadIsRefusedWithItsStatusAndTheConnectionCloses() throws Exception {
        start("");
        HttpRequest r = get("/");
        r.setDecoderResult(DecoderResult.failure(new TooLongHttpLineException("line too long")));
        client.writeInbound(r);
        assertThat(written(client)).containsExactly("414 end:414 Request-URI Too Long: request line too long\n");
        assertThat(client.isOpen()).isFalse();
        assertThat(f.connector.all).isEmpty();
    }

    @Test
    void aRequestWithoutHostIsRefused400AndTheConnectionCloses() throws Exception {
        start("");
        HttpRequest r = get("/");
        r.headers().remove("host");
        client.writeInbound(r, LastHttpContent.EMPTY_LAST_CONTENT);
        assertRefused(400, "HTTP/1.1 request without a Host header", false);
    }

    @Test
    void anUnknownHostIsAnswered421AndTheConnectionServesTheNextRequest() throws Exception {
        start("");
        HttpRequest r = get("/");
        r.headers().set("host", "elsewhere.example");
        client.writeInbound(r, LastHttpContent.EMPTY_LAST_CONTENT);
        assertRefused(421, "no route for host \"elsewhere.example\"", true);

        client.writeInbound(get("/"), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(f.connector.requests).hasSize(1);
    }

    @Test
    void anUnsupportedExpectationIsAnswered417AndTheConnectionCloses() throws Exception {
        start("");
        HttpRequest r = post("/", 2);
        r.headers().set("expect", "something-else");
        client.writeInbound(r);
        assertRefused(417, "unsupported expectation \"something-else\"", false);
    }

    @Test
    void aPoolWithNoUsableServerIsAnswered503() throws Exception {
        start("");
        f.server("web-1").drain();
        f.server("web-2").drain();
        client.writeInbound(get("/"), LastHttpContent.EMPTY_LAST_CONTENT);
        assertRefused(503, "no usable server in pool web", true);
        assertThat(f.metrics.scrape()).contains("balancer_no_server_total{listener=\"public\",pool=\"web\"} 1.0");
    }

    // ---- CONNECTING -------------------------------------------------------------------------------------------------

    @Test
    void aRefusedConnectIsRetriedOnTheOtherServerWhateverTheMethod() throws Exception {
        start("");
        client.writeInbound(post("/", 2), last("hi"));
        f.failConnect(FailureKind.CONNECT_REFUSED);
        assertThat(f.exchange().phase()).isEqualTo(ExchangePhase.CONNECTING);
        EmbeddedChannel up = f.connect();
        assertThat(f.connector.servers()).containsExactlyInAnyOrder("web-1", "web-2");
        assertThat(written(up)).containsExactly("POST /", "end:hi");
        up.writeInbound(response(201, 0), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(written(client)).containsExactly("201", "end:");
        UpstreamServer first = f.connector.all.get(0).server();
        assertThat(first.failures()).isEqualTo(1);
        assertIdle(f.server("web-1"), f.server("web-2"));
        assertThat(f.metrics.scrape()).containsPattern("balancer_retries_total\\{pool=\"web\",reason=\"connect-refused\","
                + "server=\"" + first.name() + "\"} 1.0");
    }

    @Test
    void whenEveryConnectFailsTheClientGets503WithTheLastServersReason() throws Exception {
        start("");
        client.writeInbound(get("/"), LastHttpContent.EMPTY_LAST_CONTENT);
        f.failConnect(FailureKind.CONNECT_REFUSED);
        f.failConnect(FailureKind.CONNECT_TIMEOUT);
        // retries: 2 allows a third attempt, but both servers are tried: the last failure is the answer.
        assertThat(f.connector.requests).isEmpty();
        UpstreamServer second = f.connector.all.get(1).server();
        assertThat(written(client)).singleElement().asString().startsWith("503 ")
                .contains("server " + second.name() + " (" + second.address() + ") connect timed out after 1s");
        assertThat(client.isOpen()).isTrue();
        assertThat(f.exchange().phase()).isEqualTo(ExchangePhase.DONE);
        assertIdle(f.server("web-1"), f.server("web-2"));
    }

    @Test
    void noRetriesLeftAnswersTheFirstFailure() throws Exception {
        start("retries: 0\n");
        client.writeInbound(get("/"), LastHttpContent.EMPTY_LAST_CONTENT);
        f.failConnect(FailureKind.CONNECT_REFUSED);
        assertAnsweredForTheOneServer(503, "connect failed (connection refused)");
    }

    @Test
    void aClientLeavingWhileConnectingEndsTheAttemptAs499AndTheConnectionIsNotTaken() throws Exception {
        start("");
        client.writeInbound(get("/"), LastHttpContent.EMPTY_LAST_CONTENT);
        ExchangeFixture.Connector.Request pending = f.connector.requests.poll();
        client.close();
        UpstreamServer s = pending.server();
        assertIdle(s);
        assertThat(s.failures()).isZero();
        assertThat(s.requests()).isEqualTo(1);
        EmbeddedChannel up = f.upstream(s);
        assertThat(pending.events().connected(s, up.pipeline().get(BackendHandler.class))).isFalse();
        assertThat(written(up)).isEmpty();
        assertThat(f.metrics.scrape()).containsPattern("balancer_requests_total\\{listener=\"public\",pool=\"web\","
                + "server=\"" + s.name() + "\",status_class=\"4xx\"} 1.0");
    }

    // ---- FORWARDING -------------------------------------------------------------------------------------------------

    @Test
    void aResetBeforeTheResponseRetriesAnIdempotentRequestElsewhere() throws Exception {
        start("");
        client.writeInbound(get("/"), LastHttpContent.EMPTY_LAST_CONTENT);
        EmbeddedChannel first = f.connect();
        first.close();
        EmbeddedChannel second = f.connect();
        assertThat(written(second)).containsExactly("GET /", "end:");
        second.writeInbound(response(200, 2), last("ok"));
        assertThat(written(client)).containsExactly("200", "end:ok");
        assertThat(f.connector.all.get(0).server().failures()).isEqualTo(1);
        assertIdle(f.server("web-1"), f.server("web-2"));
    }

    /** The server's keep-alive timeout closed the pooled connection just as the next request went out on it. */
    private EmbeddedChannel pooledConnectionToTheOnlyUsableServer() {
        client.writeInbound(get("/1"), LastHttpContent.EMPTY_LAST_CONTENT);
        EmbeddedChannel up = f.connect();
        up.writeInbound(response(200, 1), last("1"));
        BackendHandler pooled = f.connector.released.get(0);
        f.connector.idle.add(pooled);
        written(up);
        written(client);
        for (UpstreamServer s : f.upstreams.pool("web").servers()) {
            if (s != pooled.server()) {
                s.drain();
            }
        }
        return up;
    }

    @Test
    void aPooledConnectionTheServerClosedIsReplacedAndTheRequestSentAgainToTheSameServer() throws Exception {
        start("retries: 0");
        EmbeddedChannel stale = pooledConnectionToTheOnlyUsableServer();
        UpstreamServer s = f.connector.last().server();

        client.writeInbound(get("/2"), LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(written(stale)).containsExactly("GET /2", "end:");
        stale.close();

        EmbeddedChannel fresh = f.connect();
        assertThat(f.connector.last().server()).isSameAs(s);
        assertThat(written(fresh)).containsExactly("GET /2", "end:");
        fresh.writeInbound(response(200, 1), last("2"));
        assertThat(written(client)).containsExactly("200", "end:2");
        assertThat(s.failures()).as("a closed idle connection is not the server's failure").isZero();
        assertIdle(s);
    }

    @Test
    void aPostOnAPooledConnectionTheServerClosedIsNotSentAgain() throws Exception {
        start("");
        EmbeddedChannel stale = pooledConnectionToTheOnlyUsableServer();

        client.writeInbound(post("/order", 2), last("hi"));
        assertThat(written(stale)).containsExactly("POST /order", "end:hi");
        stale.close();

        assertThat(f.connector.requests).as("no new connect").isEmpty();
        assertThat(written(client)).singleElement().asString().startsWith("502 ").contains("closed the connection");
    }

    @Test
    void aNewConnectionClosedBeforeTheResponseIsAFailureOfTheServer() throws Exception {
        start("retries: 0");
        client.writeInbound(get("/"), LastHttpContent.EMPTY_LAST_CONTENT);
        f.connect().close();

        assertAnsweredForTheOneServer(502, "closed the connection");
    }

    @Test
    void aResetAfterAPostReachedTheServerIsAnswered502AndNotRetried() throws Exception {
        start("");
        client.writeInbound(post("/order", 2), last("hi"));
        EmbeddedChannel up = f.connect();
        assertThat(written(up)).containsExactly("POST /order", "end:hi");
        up.close();
        assertAnsweredForTheOneServer(502, "closed the connection");
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void aBodyPastTheReplayLimitIsNotRetriedAfterAReset() throws Exception {
        start("");
        String big = "x".repeat(RequestForwarder.REPLAY_LIMIT);
        client.writeInbound(ExchangeFixture.put("/file", big.length() + 1));
        EmbeddedChannel up = f.connect();
        client.writeInbound(content(big), last("y"));
        assertThat(written(up)).hasSize(3);
        up.close();
        assertThat(f.connector.all).hasSize(1);
        assertThat(written(client)).singleElement().asString().startsWith("502 ");
    }

    @Test
    void anInvalidResponseIsAnswered502AndNotRetried() throws Exception {
        start("");
        EmbeddedChannel up = getForwarded();
        HttpResponse bad = response(200, 0);
        bad.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("invalid header")));
        up.writeInbound(bad);
        assertThat(f.connector.all).hasSize(1);
        assertThat(written(client)).singleElement().asString().startsWith("502 ")
                .contains("sent an invalid response (invalid header)");
        assertThat(up.isOpen()).isFalse();
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void switchingProtocolsUnaskedIsAnswered502() throws Exception {
        start("");
        EmbeddedChannel up = getForwarded();
        up.writeInbound(response(101, 0));
        assertThat(written(client)).singleElement().asString().startsWith("502 ").contains("switched protocols unasked");
        assertThat(up.isOpen()).isFalse();
    }

    @Test
    void interimResponsesArePassedOnButTheServers100IsNot() throws Exception {
        start("");
        EmbeddedChannel up = getForwarded();
        up.writeInbound(response(100, 0), LastHttpContent.EMPTY_LAST_CONTENT, response(103, 0),
                LastHttpContent.EMPTY_LAST_CONTENT, response(200, 2), last("ok"));
        // 100 Continue is the balancer's to send (it answers Expect itself); 103 goes on whole, then the response.
        assertThat(written(client)).containsExactly("103 end:", "200", "end:ok");
    }

    @Test
    void expectContinueIsAnsweredByTheBalancerOnceAServerIsConnected() throws Exception {
        start("");
        HttpRequest r = post("/", 2);
        r.headers().set("expect", "100-continue");
        client.writeInbound(r);
        assertThat(written(client)).isEmpty();
        EmbeddedChannel up = f.connect();
        assertThat(written(client)).containsExactly("100 end:");
        client.writeInbound(last("hi"));
        client.runPendingTasks();
        up.flush();
        assertThat(written(up)).containsExactly("POST /", "end:hi");
    }

    @Test
    void aSilentServerIsAnswered504AfterTheResponseTimeoutAndNotRetried() throws Exception {
        start("response_timeout: 5s\n");
        EmbeddedChannel up = getForwarded();
        f.advance(Duration.ofMillis(4_999));
        assertThat(written(client)).isEmpty();
        f.advance(Duration.ofMillis(1));
        assertAnsweredForTheOneServer(504, "did not respond within 5s");
        assertThat(up.isOpen()).isFalse();
    }

    @Test
    void aStalledRequestBodyIsAnswered408AndTheClientConnectionCloses() throws Exception {
        start("response_timeout: 5s\n");
        client.writeInbound(post("/", 10), content("abcde"));
        EmbeddedChannel up = f.connect();
        assertThat(written(up)).containsExactly("POST /", "body:abcde");
        f.advance(Duration.ofSeconds(5));
        assertThat(written(client)).singleElement().asString().startsWith("408 ")
                .contains("request body stalled for 5s");
        assertThat(client.isOpen()).isFalse();
        assertThat(up.isOpen()).isFalse();
        UpstreamServer s = f.connector.last().server();
        assertThat(s.failures()).as("the client's fault, not the server's").isZero();
        assertIdle(s);
    }

    @Test
    void aMalformedRequestBodyIsAnswered400AndBothConnectionsClose() throws Exception {
        start("");
        HttpRequest r = post("/", 0);
        r.headers().remove("content-length").set("transfer-encoding", "chunked");
        client.writeInbound(r);
        EmbeddedChannel up = f.connect();
        HttpContent bad = content("zz");
        bad.setDecoderResult(DecoderResult.failure(new NumberFormatException("invalid chunk size")));
        client.writeInbound(bad);
        assertThat(written(client)).singleElement().asString().startsWith("400 ")
                .contains("malformed request body: invalid chunk size");
        assertThat(client.isOpen()).isFalse();
        assertThat(up.isOpen()).isFalse();
        assertIdle(f.connector.last().server());
    }

    @Test
    void aClientLeavingWhileForwardingClosesTheUpstreamConnectionWithoutBlamingTheServer() throws Exception {
        start("");
        EmbeddedChannel up = getForwarded();
        client.close();
        assertThat(up.isOpen()).isFalse();
        UpstreamServer s = f.connector.last().server();
        assertThat(s.failures()).isZero();
        assertIdle(s);
        assertThat(f.connector.released).isEmpty();
    }

    // ---- RESPONDING -------------------------------------------------------------------------------------------------

    @Test
    void aResetMidResponseCutsTheClientOff() throws Exception {
        start("");
        EmbeddedChannel up = getForwarded();
        up.writeInbound(response(200, 10), content("part"));
        up.close();
        assertThat(written(client)).containsExactly("200", "body:part");
        assertThat(client.isOpen()).isFalse();
        assertThat(f.connector.all).hasSize(1);
        UpstreamServer s = f.connector.last().server();
        assertThat(s.failures()).isEqualTo(1);
        assertIdle(s);
    }

    @Test
    void aBrokenResponseBodyCutsTheClientOff() throws Exception {
        start("");
        EmbeddedChannel up = getForwarded();
        HttpContent bad = content("zz");
        bad.setDecoderResult(DecoderResult.failure(new NumberFormatException("invalid chunk size")));
        up.writeInbound(response(200, 10));
        up.writeInbound(bad);
        assertThat(written(client)).containsExactly("200");
        assertThat(client.isOpen()).isFalse();
        assertThat(up.isOpen()).isFalse();
    }

    @Test
    void aResponseThatStallsMidwayIsCutOffAfterTheResponseTimeout() throws Exception {
        start("response_timeout: 5s\n");
        EmbeddedChannel up = getForwarded();
        f.advance(Duration.ofSeconds(3));
        up.writeInbound(response(200, 10), content("part"));
        f.advance(Duration.ofSeconds(3));
        assertThat(client.isOpen()).as("progress restarts the timeout").isTrue();
        f.advance(Duration.ofSeconds(2));
        assertThat(written(client)).containsExactly("200", "body:part");
        assertThat(client.isOpen()).isFalse();
        assertThat(up.isOpen()).isFalse();
        assertThat(f.connector.last().server().failures()).isEqualTo(1);
    }

    @Test
    void aClientLeavingMidResponseCountsTheServersStatus() throws Exception {
        start("");
        EmbeddedChannel up = getForwarded();
        up.writeInbound(response(200, 10), content("part"));
        client.close();
        assertThat(up.isOpen()).isFalse();
        UpstreamServer s = f.connector.last().server();
        assertThat(s.failures()).isZero();
        assertIdle(s);
        assertThat(f.metrics.scrape()).containsPattern("balancer_requests_total\\{listener=\"public\",pool=\"web\","
                + "server=\"" + s.name() + "\",status_class=\"2xx\"} 1.0");
    }

    @Test
    void aResponseDelimitedByCloseIsChunkedForTheClientAndTheUpstreamConnectionIsNotReused() throws Exception {
        start("");
        EmbeddedChannel up = getForwarded();
        HttpResponse r = response(200, 0);
        r.headers().remove("content-length");
        up.writeInbound(r, last("tail"));
        Object head = client.readOutbound();
        assertThat(((HttpResponse) head).headers().get("transfer-encoding")).isEqualTo("chunked");
        assertThat(written(client)).containsExactly("end:tail");
        assertThat(up.isOpen()).isFalse();
        assertThat(f.connector.released).isEmpty();
        assertThat(client.isOpen()).isTrue();
    }
}
