package com.foobar.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryEncoder;
import io.netty.handler.codec.dns.TcpDnsResponseDecoder;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The zone over real sockets, asked as resolvers ask: Netty's resolver over UDP, a TCP client, and dig. */
class ZoneServerTest {
    private static ZoneServer server;
    private static EventLoopGroup group;
    private static DnsNameResolver resolver;

    @BeforeAll
    static void start() throws Exception {
        InetAddress balancer = InetAddress.getByName("127.0.0.7");
        Zone zone = DnsMain.siteZone(List.of(balancer),
                Map.of("web-1.foobar.com", List.of(InetAddress.getByName("::1"))), Duration.ofSeconds(60));
        server = ZoneServer.start(new InetSocketAddress("127.0.0.1", 0), zone);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        resolver = new DnsNameResolverBuilder(group.next())
                .datagramChannelType(NioDatagramChannel.class)
                .nameServerProvider(new SingletonDnsServerAddressStreamProvider(server.address()))
                .recursionDesired(false)
                .queryTimeoutMillis(2000)
                .build();
    }

    @AfterAll
    static void stop() {
        resolver.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        server.close();
    }

    private static DnsResponse ask(String name, DnsRecordType type) throws Exception {
        AddressedEnvelope<DnsResponse, InetSocketAddress> answer =
                resolver.query(new DefaultDnsQuestion(name, type)).get(5, TimeUnit.SECONDS);
        DnsResponse response = answer.content().retain();
        answer.release();
        return response;
    }

    private static List<String> addresses(DnsResponse response) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
            DnsRawRecord r = response.recordAt(DnsSection.ANSWER, i);
            ByteBuf rdata = r.content();
            byte[] bytes = new byte[rdata.readableBytes()];
            rdata.getBytes(rdata.readerIndex(), bytes);
            out.add(InetAddress.getByAddress(bytes).getHostAddress() + " ttl " + r.timeToLive());
        }
        return out;
    }

    @Test
    void wwwAndTheApexAreTheBalancersAddressAuthoritatively() throws Exception {
        for (String name : List.of("www.foobar.com", "foobar.com", "WWW.Foobar.COM.")) {
            DnsResponse r = ask(name, DnsRecordType.A);
            try {
                assertThat(r.code()).as(name).isEqualTo(DnsResponseCode.NOERROR);
                assertThat(r.isAuthoritativeAnswer()).as(name).isTrue();
                assertThat(addresses(r)).as(name).containsExactly("127.0.0.7 ttl 60");
            } finally {
                r.release();
            }
        }
    }

    @Test
    void aNameWithoutRecordsOfTheTypeAskedIsAnEmptyAnswerNotAnError() throws Exception {
        DnsResponse aaaa = ask("www.foobar.com", DnsRecordType.AAAA);
        DnsResponse v6 = ask("web-1.foobar.com", DnsRecordType.AAAA);
        try {
            assertThat(aaaa.code()).isEqualTo(DnsResponseCode.NOERROR);
            assertThat(aaaa.count(DnsSection.ANSWER)).isZero();
            assertThat(addresses(v6)).containsExactly("0:0:0:0:0:0:0:1 ttl 60");
        } finally {
            aaaa.release();
            v6.release();
        }
    }

    @Test
    void anUnknownNameOfTheZoneIsNxdomainAndANameOutsideItIsRefused() throws Exception {
        DnsResponse unknown = ask("shop.foobar.com", DnsRecordType.A);
        DnsResponse outside = ask("example.org", DnsRecordType.A);
        try {
            assertThat(unknown.code()).isEqualTo(DnsResponseCode.NXDOMAIN);
            assertThat(unknown.isAuthoritativeAnswer()).isTrue();
            assertThat(outside.code()).as("not a recursive resolver").isEqualTo(DnsResponseCode.REFUSED);
            assertThat(outside.isAuthoritativeAnswer()).isFalse();
        } finally {
            unknown.release();
            outside.release();
        }
    }

    @Test
    void answersOverTcpOnTheSamePort() throws Exception {
        CompletableFuture<List<String>> got = new CompletableFuture<>();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new TcpDnsQueryEncoder(), new TcpDnsResponseDecoder(),
                                new SimpleChannelInboundHandler<DnsResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DnsResponse r)
                                            throws Exception {
                                        got.complete(List.of(r.code().toString(), addresses(r).toString()));
                                    }
                                });
                    }
                }).connect(server.address()).sync().channel();
        try {
            ch.writeAndFlush(new DefaultDnsQuery(7, DnsOpCode.QUERY)
                    .addRecord(DnsSection.QUESTION, new DefaultDnsQuestion("www.foobar.com", DnsRecordType.A))).sync();
            assertThat(got.get(5, TimeUnit.SECONDS)).containsExactly(DnsResponseCode.NOERROR.toString(),
                    "[127.0.0.7 ttl 60]");
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void answersBesideAnMdnsResponderBoundToEveryAddressOfThePort() throws Exception {
        // As Avahi holds 0.0.0.0:5353 (with SO_REUSEADDR) on many machines.
        try (java.net.DatagramSocket mdns = new java.net.DatagramSocket(null)) {
            mdns.setReuseAddress(true);
            mdns.bind(new InetSocketAddress("0.0.0.0", 0));
            int port = mdns.getLocalPort();
            Zone zone = DnsMain.siteZone(List.of(InetAddress.getByName("127.0.0.9")), Map.of(), Duration.ofSeconds(5));
            try (ZoneServer beside = ZoneServer.start(new InetSocketAddress("127.0.0.1", port), zone);
                 DnsNameResolver asker = new DnsNameResolverBuilder(group.next())
                         .datagramChannelType(NioDatagramChannel.class)
                         .nameServerProvider(new SingletonDnsServerAddressStreamProvider(beside.address()))
                         .queryTimeoutMillis(2000).build()) {
                assertThat(asker.resolve("www.foobar.com").get(5, TimeUnit.SECONDS).getHostAddress())
                        .isEqualTo("127.0.0.9");
            }
        }
    }

    @Test
    void digGetsTheAnswerAsTheReadmeShows() throws Exception {
        Assumptions.assumeTrue(onPath("dig"), "no dig on the PATH (Debian: apt-get install bind9-dnsutils)");
        Process dig = new ProcessBuilder("dig", "@127.0.0.1", "-p", Integer.toString(server.address().getPort()),
                "+short", "+tries=1", "+time=2", "www.foobar.com").redirectErrorStream(true).start();
        String out;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(dig.getInputStream(), StandardCharsets.UTF_8))) {
            out = String.join("\n", in.lines().toList());
        }
        assertThat(dig.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("127.0.0.7");
        Process tcp = new ProcessBuilder("dig", "@127.0.0.1", "-p", Integer.toString(server.address().getPort()),
                "+tcp", "+short", "+tries=1", "+time=2", "foobar.com").redirectErrorStream(true).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(tcp.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(String.join("\n", in.lines().toList())).isEqualTo("127.0.0.7");
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
