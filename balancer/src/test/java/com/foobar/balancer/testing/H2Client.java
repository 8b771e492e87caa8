package com.foobar.balancer.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Frame;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * A raw HTTP/2 client for tests: Netty's frame codec over TLS (ALPN h2) to a loopback balancer, recording every
 * frame it receives, so a test can see GOAWAY, PING and RST_STREAM as well as responses. Frames are sent as given.
 */
public final class H2Client implements AutoCloseable {

    /** A received frame, reduced to what tests look at; DATA is copied out as text. */
    public record Received(int streamId, Http2Frame frame, String data) {
        @Override
        public String toString() {
            // Frames holding buffers are released once recorded: name them, do not print them.
            return frame.name() + "(stream " + streamId + (data == null ? "" : ", " + data.length() + " chars") + ")";
        }
    }

    /** A stream's response: its status, headers and body, once its end arrived. */
    public record Response(int status, Http2Headers headers, String body) {
    }

    private final EventLoopGroup group;
    private final Channel channel;
    private final Http2FrameCodec codec;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final boolean returnsWindow;

    private H2Client(EventLoopGroup group, Channel channel, Http2FrameCodec codec, boolean returnsWindow) {
        this.group = group;
        this.channel = channel;
        this.codec = codec;
        this.returnsWindow = returnsWindow;
    }

    /** Connects, handshakes TLS with ALPN h2 trusting {@code caPem}, and sends the client preface. */
    public static H2Client connect(InetSocketAddress address, Path caPem, boolean autoAckPing) throws Exception {
        return connect(address, caPem, autoAckPing, true);
    }

    /**
     * As {@link #connect(InetSocketAddress, Path, boolean)}; {@code returnsWindow} false: a client that never sends
     * WINDOW_UPDATE, so at most the initial 64 KiB of responses ever reach it.
     */
    public static H2Client connect(InetSocketAddress address, Path caPem, boolean autoAckPing, boolean returnsWindow)
            throws Exception {
        SslContext ssl = SslContextBuilder.forClient().trustManager(caPem.toFile())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build();
        Http2FrameCodec codec = Http2FrameCodecBuilder.forClient()
                .initialSettings(Http2Settings.defaultSettings())
                .autoAckPingFrame(autoAckPing)
                // Sends what a test says even past the server's limits: seeing the server refuse it is the point.
                .encoderIgnoreMaxHeaderListSize(true)
                .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        H2Client[] self = new H2Client[1];
        try {
            Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), "localhost", address.getPort()),
                                    codec, new Recorder(() -> self[0]));
                        }
                    });
            ChannelFuture f = b.connect(address).sync();
            self[0] = new H2Client(group, f.channel(), codec, returnsWindow);
            SslHandler tls = f.channel().pipeline().get(SslHandler.class);
            tls.handshakeFuture().sync();
            if (!ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
                throw new IllegalStateException("ALPN settled on " + tls.applicationProtocol());
            }
            return self[0];
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * A TLS socket that has negotiated h2 and sent nothing more: for what a client that never speaks HTTP/2 gets.
     */
    public static javax.net.ssl.SSLSocket silentTlsSocket(InetSocketAddress address, Path caPem) throws Exception {
        javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) TestTls.trusting(caPem).getSocketFactory()
                .createSocket(address.getAddress(), address.getPort());
        javax.net.ssl.SSLParameters params = s.getSSLParameters();
        params.setApplicationProtocols(new String[] {ApplicationProtocolNames.HTTP_2});
        params.setServerNames(List.of(new javax.net.ssl.SNIHostName("localhost")));
        s.setSSLParameters(params);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    private static final class Recorder extends Http2ChannelDuplexHandler {
        private final java.util.function.Supplier<H2Client> client;

        Recorder(java.util.function.Supplier<H2Client> client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2DataFrame d) {
                    client.get().received.add(new Received(d.stream().id(), d,
                            d.content().toString(StandardCharsets.UTF_8)));
                    if (d.initialFlowControlledBytes() > 0 && client.get().returnsWindow) {
                        ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(d.initialFlowControlledBytes())
                                .stream(d.stream()));
                    }
                } else if (msg instanceof Http2Frame frame) {
                    int id = msg instanceof io.netty.handler.codec.http2.Http2StreamFrame s && s.stream() != null
                            ? s.stream().id() : 0;
                    client.get().received.add(new Received(id, frame, null));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Request headers for {@code method path} on this connection's authority. */
    public Http2Headers headers(String method, String path) {
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        return new DefaultHttp2Headers().method(method).path(path).scheme("https")
                .authority("localhost:" + remote.getPort());
    }

    /** Opens a stream with {@code headers}; returns it once the HEADERS frame is written (or throws why not). */
    public Http2FrameStream open(Http2Headers headers, boolean endStream) throws Exception {
        Http2FrameStream stream = channel.pipeline().get(Recorder.class).newStream();
        ChannelFuture f = channel.writeAndFlush(new DefaultHttp2HeadersFrame(headers, endStream).stream(stream));
        f.await(5, TimeUnit.SECONDS);
        if (!f.isSuccess()) {
            throw new IllegalStateException("stream not opened: " + f.cause(), f.cause());
        }
        return stream;
    }

    public Http2FrameStream get(String path) throws Exception {
        return open(headers("GET", path), true);
    }

    public ChannelFuture data(Http2FrameStream stream, String text, boolean endStream) {
        return channel.writeAndFlush(new DefaultHttp2DataFrame(
                Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)), endStream).stream(stream));
    }

    public List<Received> received() {
        return received;
    }

    /** The first received frame of {@code type} on {@code streamId} (0 for the connection), waiting up to {@code max}. */
    public <T extends Http2Frame> T awaitFrame(Class<T> type, int streamId, Duration max) {
        Predicate<Received> p = r -> type.isInstance(r.frame()) && r.streamId() == streamId;
        await().atMost(max).until(() -> received.stream().anyMatch(p));
        return type.cast(received.stream().filter(p).findFirst().orElseThrow().frame());
    }

    public Optional<Http2GoAwayFrame> goAway() {
        return received.stream().map(Received::frame).filter(Http2GoAwayFrame.class::isInstance)
                .map(Http2GoAwayFrame.class::cast).findFirst();
    }

    public boolean pinged() {
        return received.stream().anyMatch(r -> r.frame() instanceof Http2PingFrame p && !p.ack());
    }

    public Optional<Http2ResetFrame> reset(int streamId) {
        return received.stream().filter(r -> r.streamId() == streamId && r.frame() instanceof Http2ResetFrame)
                .map(r -> (Http2ResetFrame) r.frame()).findFirst();
    }

    /** The response of {@code streamId} (its final one: interim 1xx heads are left out), waiting up to {@code max}. */
    public Response response(int streamId, Duration max) {
        await().atMost(max).until(() -> ended(streamId));
        Http2Headers h = null;
        StringBuilder body = new StringBuilder();
        for (Received r : received) {
            if (r.streamId() != streamId) {
                continue;
            }
            if (r.frame() instanceof Http2HeadersFrame hf && h == null && !isInterim(hf.headers())) {
                h = hf.headers();
            } else if (r.data() != null) {
                body.append(r.data());
            }
        }
        return new Response(Integer.parseInt(h.status().toString()), h, body.toString());
    }

    /** The interim (1xx) heads received on {@code streamId} so far, in order. */
    public List<Http2Headers> interim(int streamId) {
        return received.stream().filter(r -> r.streamId() == streamId && r.frame() instanceof Http2HeadersFrame hf
                && isInterim(hf.headers())).map(r -> ((Http2HeadersFrame) r.frame()).headers()).toList();
    }

    private static boolean isInterim(Http2Headers h) {
        CharSequence status = h.status();
        return status != null && status.length() == 3 && status.charAt(0) == '1';
    }

    private boolean ended(int streamId) {
        return received.stream().anyMatch(r -> r.streamId() == streamId
                && ((r.frame() instanceof Http2HeadersFrame hf && hf.isEndStream())
                || (r.frame() instanceof Http2DataFrame df && df.isEndStream())));
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public Channel channel() {
        return channel;
    }

    /** Waits up to {@code max} for the balancer to close the connection. */
    public void awaitClosed(Duration max) {
        channel.closeFuture().awaitUninterruptibly(max.toMillis());
        if (channel.isActive()) {
            throw new AssertionError("connection still open after " + max);
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** Convenience for tests asserting on header values. */
    public static String header(Response r, String name) {
        CharSequence v = r.headers().get(name);
        return v == null ? null : v.toString();
    }
}
