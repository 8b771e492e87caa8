package com.foobar.balancer.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small authoritative DNS server on a loopback UDP port for tests, made with Netty's DNS codec: it answers
 * {@code A} and {@code AAAA} questions from records the test sets and changes while it runs. A name it does not know
 * gets NXDOMAIN; a known name without records of the type asked gets an empty answer (NODATA); a name set to
 * {@linkplain #silence silence} gets no answer at all (the resolver times out). Every question is logged with the
 * time it arrived, so a test can count queries and measure the gaps between them.
 */
public final class TestDnsServer implements AutoCloseable {

    /** A question as the server received it. */
    public record Query(String name, DnsRecordType type, long nanos) {
    }

    private record Records(List<InetAddress> addresses, long ttl) {
    }

    private final EventLoopGroup group;
    private final Channel channel;
    private final Map<String, Records> records = new ConcurrentHashMap<>();
    private final Map<String, Boolean> silenced = new ConcurrentHashMap<>();
    private final Queue<Query> queries = new ConcurrentLinkedQueue<>();

    private TestDnsServer() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("test-dns", true),
                NioIoHandler.newFactory());
        channel = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new Handler());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    public static TestDnsServer start() throws InterruptedException {
        return new TestDnsServer();
    }

    /** {@code 127.0.0.1:port}, for {@code dns.nameservers}. */
    public String address() {
        return "127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Answers {@code name} with these addresses (IP literals) and TTL from now on. */
    public TestDnsServer set(String name, long ttlSeconds, String... addresses) {
        List<InetAddress> list = new ArrayList<>();
        for (String a : addresses) {
            list.add(NetUtil.createInetAddressFromIpAddressString(a));
        }
        records.put(key(name), new Records(List.copyOf(list), ttlSeconds));
        silenced.remove(key(name));
        return this;
    }

    /** Forgets {@code name}: it gets NXDOMAIN from now on, as Docker's DNS answers for a stopped container. */
    public TestDnsServer remove(String name) {
        records.remove(key(name));
        silenced.remove(key(name));
        return this;
    }

    /** Questions about {@code name} go unanswered from now on, as with a name server that is down. */
    public TestDnsServer silence(String name) {
        silenced.put(key(name), true);
        return this;
    }

    /** Every question received so far. */
    public List<Query> queries() {
        return List.copyOf(queries);
    }

    /** The {@code A} questions about {@code name} received so far. */
    public List<Query> queries(String name) {
        String k = key(name);
        return queries.stream().filter(q -> q.name().equals(k) && q.type() == DnsRecordType.A).toList();
    }

    /** How many {@code A} questions about {@code name} arrived so far. */
    public int queryCount(String name) {
        return queries(name).size();
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            if (question == null) {
                return;
            }
            String name = key(question.name());
            queries.add(new Query(name, question.type(), System.nanoTime()));
            if (silenced.containsKey(name)) {
                return;
            }
            Records r = records.get(name);
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id(),
                    query.opCode(), r == null ? DnsResponseCode.NXDOMAIN : DnsResponseCode.NOERROR);
            response.setAuthoritativeAnswer(true);
            response.setRecursionDesired(query.isRecursionDesired());
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
            if (r != null) {
                for (InetAddress a : r.addresses()) {
                    boolean v4 = a instanceof Inet4Address;
                    if ((question.type() == DnsRecordType.A && v4) || (question.type() == DnsRecordType.AAAA && !v4)) {
                        response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(),
                                question.type(), r.ttl(), Unpooled.wrappedBuffer(a.getAddress())));
                    }
                }
            }
            ctx.writeAndFlush(response);
        }
    }
}
