package com.foobar.balancer.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * A real HTTP/1.1 server on 127.0.0.1 for balancer tests. The path picks the behaviour:
 * <ul>
 *   <li>{@code /headers}: 200 with the request headers as {@code name: value} lines (names lower-case)</li>
 *   <li>{@code /echo}: streams the request body back, chunked, with backpressure</li>
 *   <li>{@code /stream?bytes=N[&chunked=true]}: N bytes of {@link Patterns} generated on the fly</li>
 *   <li>{@code /consume}: reads the body and answers {@code bytes=N crc32=X}</li>
 *   <li>{@code /delay?ms=N}: answers after N ms</li>
 *   <li>{@code /status?code=N}: answers with that status</li>
 *   <li>{@code /early-hints}: {@code 103 Early Hints} with a {@code link} header, then {@code hello from NAME}</li>
 *   <li>{@code /health...}: a health check, answered with {@link #healthStatus(int)} (200 unless set)</li>
 *   <li>{@code /reset}, {@code /close}, {@code /ignore}, {@code /garbage}: reset, close, never answer, answer junk</li>
 *   <li>anything else: {@code hello from NAME}, with the status {@link #status(int)} set (200 unless set)</li>
 * </ul>
 * {@link #mode(Mode)} overrides the path for every request (a failing server). Every response carries
 * {@code x-backend: NAME}. Requests are counted and recorded when their head arrives.
 */
public final class TestBackend implements AutoCloseable {

    /** The {@code link} header of the {@code /early-hints} 103. */
    public static final String EARLY_HINT = "</style.css>; rel=preload; as=style";

    /** How this backend treats every request, whatever its path. */
    public enum Mode { NORMAL, RESET, CLOSE, IGNORE, GARBAGE }

    /** A request as the backend received it. */
    public record Recorded(String method, String uri, List<Map.Entry<String, String>> headers) {
        public String header(String name) {
            for (Map.Entry<String, String> e : headers) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }

        public List<String> headerNames() {
            return headers.stream().map(Map.Entry::getKey).toList();
        }
    }

    private final String name;
    private final String host;
    private final EventLoopGroup group;
    private final Channel server;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Queue<Recorded> recorded = new ConcurrentLinkedQueue<>();
    private volatile Mode mode = Mode.NORMAL;
    private volatile int healthStatus = 200;
    private volatile int status = 200;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();

    private TestBackend(String name, String host, int port) throws InterruptedException {
        this.name = name;
        this.host = host;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("backend-" + name, true),
                NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.incrementAndGet();
                        connections.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new ChunkedWriteHandler(), new Handler());
                    }
                });
        this.server = b.bind(host, port).sync().channel();
    }

    /** Starts a backend on an ephemeral loopback port. */
    public static TestBackend start(String name) throws InterruptedException {
        return new TestBackend(name, "127.0.0.1", 0);
    }

    /** Starts a backend on a given loopback port (to bring a killed server back). */
    public static TestBackend start(String name, int port) throws InterruptedException {
        return new TestBackend(name, "127.0.0.1", port);
    }

    /**
     * Starts a backend on another loopback address (Linux answers on all of 127/8), e.g. {@code 127.0.0.2} and the
     * port of a backend on {@code 127.0.0.1}: one server name that DNS moves between two machines.
     */
    public static TestBackend start(String name, String host, int port) throws InterruptedException {
        return new TestBackend(name, host, port);
    }

    public String name() {
        return name;
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** {@code 127.0.0.1:port}, as a balancer config wants it. */
    public String address() {
        return host + ":" + port();
    }

    /** The address it listens on, {@code 127.0.0.1} unless started elsewhere. */
    public String host() {
        return host;
    }

    public TestBackend mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** The status the "anything else" answers get from now on: a server that fails requests but not checks. */
    public TestBackend status(int code) {
        this.status = code;
        return this;
    }

    /** The status health checks get from now on: a server that fails its checks, or passes them again. */
    public TestBackend healthStatus(int status) {
        this.healthStatus = status;
        return this;
    }

    /** Health checks ({@code /health...}) received so far. */
    public int healthChecks() {
        return (int) recorded.stream().filter(TestBackend::isHealthCheck).count();
    }

    /** The Host header of the last health check, or null before the first. */
    public String lastHealthHost() {
        Recorded last = lastHealthCheck();
        return last == null ? null : last.header("host");
    }

    /** The path of the last health check, or null before the first. */
    public String lastHealthPath() {
        Recorded last = lastHealthCheck();
        return last == null ? null : new QueryStringDecoder(last.uri()).path();
    }

    private Recorded lastHealthCheck() {
        Recorded last = null;
        for (Recorded r : recorded) {
            if (isHealthCheck(r)) {
                last = r;
            }
        }
        return last;
    }

    private static boolean isHealthCheck(Recorded r) {
        return r.uri().startsWith("/health");
    }

    /** Request heads received so far, health checks included. */
    public int requests() {
        return requests.get();
    }

    /** Connections accepted so far. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    public int openConnections() {
        return connections.size();
    }

    public List<Recorded> recorded() {
        return List.copyOf(recorded);
    }

    public Recorded lastRequest() {
        Recorded last = null;
        for (Recorded r : recorded) {
            last = r;
        }
        return last;
    }

    /** Closes every open connection but keeps listening, as a server whose keep-alive timeout expired. */
    public void dropConnections() {
        connections.close().syncUninterruptibly();
    }

    /** Drops every open connection with a reset and stops listening: a server that died. */
    public void kill() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        server.close().syncUninterruptibly();
        for (Channel ch : connections) {
            reset(ch);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public void close() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        server.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static void reset(Channel ch) {
        ch.config().setOption(ChannelOption.SO_LINGER, 0);
        ch.close();
    }

    private final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        private String behaviour;
        private HttpRequest request;
        private long consumed;
        private final CRC32 crc = new CRC32();

        Handler() {
            super(true);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest) {
                request = (HttpRequest) msg;
                requests.incrementAndGet();
                recorded.add(new Recorded(request.method().name(), request.uri(), request.headers().entries()
                        .stream().map(e -> Map.entry(e.getKey().toLowerCase(), e.getValue())).toList()));
                consumed = 0;
                crc.reset();
                Mode m = mode;
                behaviour = m == Mode.NORMAL ? new QueryStringDecoder(request.uri()).path() : "/" + m.name()
                        .toLowerCase();
                onHead(ctx);
            }
            if (msg instanceof HttpContent) {
                HttpContent c = (HttpContent) msg;
                onContent(ctx, c);
            }
        }

        private void onHead(ChannelHandlerContext ctx) {
            QueryStringDecoder q = new QueryStringDecoder(request.uri());
            switch (behaviour) {
                case "/reset":
                    reset(ctx.channel());
                    break;
                case "/close":
                    ctx.close();
                    break;
                case "/ignore":
                    break;
                case "/garbage":
                    // Around the codec: raw bytes straight to the socket.
                    ctx.pipeline().firstContext().writeAndFlush(
                            Unpooled.copiedBuffer("THIS IS NOT HTTP\r\n\r\n", StandardCharsets.US_ASCII));
                    break;
                case "/echo": {
                    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                            .set("x-backend", name);
                    ctx.write(r);
                    break;
                }
                case "/stream": {
                    long n = Long.parseLong(param(q, "bytes", "0"));
                    boolean chunked = Boolean.parseBoolean(param(q, "chunked", "false"));
                    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    r.headers().set("x-backend", name).set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
                    if (chunked) {
                        HttpUtil.setTransferEncodingChunked(r, true);
                    } else {
                        HttpUtil.setContentLength(r, n);
                    }
                    ctx.write(r);
                    ctx.writeAndFlush(new HttpChunkedInput(new PatternInput(n)));
                    break;
                }
                default:
                    break;
            }
        }

        private void onContent(ChannelHandlerContext ctx, HttpContent c) {
            switch (behaviour) {
                case "/echo":
                    if (c.content().isReadable()) {
                        ctx.writeAndFlush(new DefaultHttpContent(c.content().retain()));
                        if (!ctx.channel().isWritable()) {
                            ctx.channel().config().setAutoRead(false);
                        }
                    }
                    if (c instanceof LastHttpContent) {
                        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    }
                    return;
                case "/consume":
                    ByteBuf b = c.content();
                    consumed += b.readableBytes();
                    if (b.hasArray()) {
                        crc.update(b.array(), b.arrayOffset() + b.readerIndex(), b.readableBytes());
                    } else {
                        crc.update(b.nioBuffer());
                    }
                    break;
                default:
                    break;
            }
            if (!(c instanceof LastHttpContent)) {
                return;
            }
            QueryStringDecoder q = new QueryStringDecoder(request.uri());
            switch (behaviour) {
                case "/reset", "/close", "/ignore", "/garbage", "/stream":
                    return;
                case "/headers": {
                    StringBuilder sb = new StringBuilder();
                    request.headers().forEach(e -> sb.append(e.getKey().toLowerCase()).append(": ")
                            .append(e.getValue()).append('\n'));
                    respond(ctx, HttpResponseStatus.OK, sb.toString());
                    return;
                }
                case "/consume":
                    respond(ctx, HttpResponseStatus.OK, "bytes=" + consumed + " crc32=" + crc.getValue());
                    return;
                case "/early-hints": {
                    FullHttpResponse hints = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.valueOf(103));
                    hints.headers().set("link", EARLY_HINT).set(HttpHeaderNames.CONNECTION, "x-hint")
                            .set("x-hint", "hop-by-hop");
                    ctx.write(hints);
                    respond(ctx, HttpResponseStatus.OK, "hello from " + name + "\n");
                    return;
                }
                case "/delay": {
                    long ms = Long.parseLong(param(q, "ms", "0"));
                    ctx.executor().schedule(() -> respond(ctx, HttpResponseStatus.OK, "delayed " + ms + "ms from "
                            + name + "\n"), ms, TimeUnit.MILLISECONDS);
                    return;
                }
                case "/status": {
                    int code = Integer.parseInt(param(q, "code", "200"));
                    respond(ctx, HttpResponseStatus.valueOf(code), "status " + code + " from " + name + "\n");
                    return;
                }
                default:
                    boolean health = behaviour.startsWith("/health");
                    respond(ctx, HttpResponseStatus.valueOf(health ? healthStatus : status), "hello from " + name + "\n");
            }
        }

        private void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            r.headers().set("x-backend", name)
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(r);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static String param(QueryStringDecoder q, String key, String dflt) {
        List<String> v = q.parameters().get(key);
        return v == null || v.isEmpty() ? dflt : v.get(0);
    }

    /** N bytes of {@link Patterns}, generated a buffer at a time as the channel can take them. */
    private static final class PatternInput implements ChunkedInput<ByteBuf> {
        private static final int CHUNK = 64 * 1024;
        private final long length;
        private long offset;

        PatternInput(long length) {
            this.length = length;
        }

        @Override
        public boolean isEndOfInput() {
            return offset >= length;
        }

        @Override
        public void close() {
        }

        @Deprecated
        @Override
        public ByteBuf readChunk(ChannelHandlerContext ctx) {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(ByteBufAllocator allocator) {
            if (isEndOfInput()) {
                return null;
            }
            int n = (int) Math.min(CHUNK, length - offset);
            ByteBuf buf = allocator.buffer(n);
            Patterns.fill(buf, offset, n);
            offset += n;
            return buf;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public long progress() {
            return offset;
        }
    }
}
