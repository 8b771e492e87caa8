package com.foobar.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Serves one {@link Zone} over UDP and TCP on the same port, as an authoritative server must (RFC 7766), with Netty's
 * DNS codec: the wire format is Netty's, the answers are the zone's. One event loop; a zone answers from memory.
 */
public final class ZoneServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel udp;
    private final Channel tcp;

    private ZoneServer(EventLoopGroup group, Channel udp, Channel tcp) {
        this.group = group;
        this.udp = udp;
        this.tcp = tcp;
    }

    /**
     * Binds UDP and TCP on {@code address} (port 0: a free UDP port, then TCP on the same one).
     *
     * @throws IOException when either cannot be bound
     */
    public static ZoneServer start(InetSocketAddress address, Zone zone) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        QueryHandler handler = new QueryHandler(zone);
        try {
            Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    // 5353 is mDNS's port too: Avahi binds 0.0.0.0:5353 with SO_REUSEADDR on many desktops. With it
                    // here as well the loopback bind succeeds beside it and, being the more specific address, gets
                    // the unicast queries sent to it. The TCP port (checked free by the stack first) stays exclusive.
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .handler(new ChannelInitializer<NioDatagramChannel>() {
                        @Override
                        protected void initChannel(NioDatagramChannel ch) {
                            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                    handler);
                        }
                    }).bind(address).sync().channel();
            InetSocketAddress bound = (InetSocketAddress) udp.localAddress();
            Channel tcp;
            try {
                tcp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(), handler);
                            }
                        }).bind(bound).sync().channel();
            } catch (Exception e) {
                udp.close().syncUninterruptibly();
                throw e;
            }
            return new ZoneServer(group, udp, tcp);
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    /** Where it answers (UDP and TCP). */
    public InetSocketAddress address() {
        return (InetSocketAddress) udp.localAddress();
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One query in, one response out, the same for both transports; stateless, so shared. */
    @ChannelHandler.Sharable
    static final class QueryHandler extends SimpleChannelInboundHandler<DnsQuery> {
        private final Zone zone;

        QueryHandler(Zone zone) {
            this.zone = zone;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
            DnsQuestion question = query.count(DnsSection.QUESTION) == 1 ? query.recordAt(DnsSection.QUESTION) : null;
            DnsResponseCode code;
            Zone.Answer answer = null;
            if (query.opCode() != DnsOpCode.QUERY) {
                code = DnsResponseCode.NOTIMP;
            } else if (question == null) {
                code = DnsResponseCode.FORMERR; // a query asks exactly one question
            } else {
                DnsRecordType type = question.type();
                answer = zone.answer(question.name(), type == DnsRecordType.A || type == DnsRecordType.ANY,
                        type == DnsRecordType.AAAA || type == DnsRecordType.ANY);
                code = switch (answer.kind()) {
                    case RECORDS, NO_DATA -> DnsResponseCode.NOERROR;
                    case NO_SUCH_NAME -> DnsResponseCode.NXDOMAIN;
                    case REFUSED -> DnsResponseCode.REFUSED;
                };
            }
            DnsResponse response = query instanceof DatagramDnsQuery datagram
                    ? new DatagramDnsResponse(datagram.recipient(), datagram.sender(), query.id(), query.opCode(), code)
                    : new DefaultDnsResponse(query.id(), query.opCode(), code);
            response.setRecursionDesired(query.isRecursionDesired());
            if (question != null) {
                response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
            }
            if (answer != null && answer.kind() != Zone.Answer.Kind.REFUSED) {
                response.setAuthoritativeAnswer(true);
                for (InetAddress a : answer.addresses()) {
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(),
                            a.getAddress().length == 4 ? DnsRecordType.A : DnsRecordType.AAAA,
                            zone.ttl().toSeconds(), Unpooled.wrappedBuffer(a.getAddress())));
                }
            }
            ctx.writeAndFlush(response);
        }
    }
}
