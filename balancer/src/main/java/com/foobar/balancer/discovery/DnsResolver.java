package com.foobar.balancer.discovery;

import com.foobar.balancer.config.DnsConfig;
import com.foobar.balancer.config.Durations;
import com.foobar.balancer.config.HostPort;
import com.foobar.balancer.transport.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.resolver.HostsFileEntriesResolver;
import io.netty.resolver.dns.DefaultDnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsErrorCauseException;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverChannelStrategy;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.resolver.dns.UnixResolverDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Asks DNS for a name's addresses without blocking: Netty's {@link DnsNameResolver} on one of the balancer's own event
 * loops, with that transport's datagram channel (never the JDK's blocking resolver or its cache). It reads
 * {@code /etc/hosts} first and then the name servers of {@code dns.nameservers}, or the system's from
 * {@code /etc/resolv.conf} (Docker's {@code 127.0.0.11}, say), read once when the balancer starts; search domains and
 * {@code ndots} come from {@code /etc/resolv.conf} too.
 *
 * <p>Unlike {@code resolveAll(hostname)}, which gives bare addresses, it asks for the records themselves, because their
 * TTLs decide when the name is asked again. {@code A} first; only a name with no {@code A} record is asked for
 * {@code AAAA}. Nothing is cached here: each call reaches a name server (or the hosts file), so a changed record is
 * seen on the next call, and {@link NameRefresher} decides how long an answer is used.
 */
public final class DnsResolver implements AutoCloseable {
    private static final String RESOLV_CONF = "/etc/resolv.conf";
    /** Per-domain name servers (macOS); read when present, as Netty's own default does. */
    private static final String ETC_RESOLVER = "/etc/resolver";

    private final EventLoop loop;
    private final DnsNameResolver resolver;
    private final String timeoutText;

    public DnsResolver(EventLoop loop, Transport transport, DnsConfig config) {
        this.loop = loop;
        this.timeoutText = Durations.format(config.timeout());
        this.resolver = new DnsNameResolverBuilder(loop)
                .datagramChannelType(transport.datagramChannelType())
                // TCP when an answer comes back truncated (a name with many records).
                .socketChannelType(transport.channelType())
                // A socket per resolution: a random source port each time (RFC 5452), and no UDP conntrack entry
                // shared by every query, which Kubernetes' DNS is known to trip over. One every few seconds per name.
                .datagramChannelStrategy(DnsNameResolverChannelStrategy.ChannelPerResolution)
                .queryTimeoutMillis(Math.max(1, config.timeout().toMillis()))
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                .hostsFileEntriesResolver(HostsFileEntriesResolver.DEFAULT)
                .nameServerProvider(nameServers(config))
                .recursionDesired(true)
                .build();
    }

    /**
     * The configured name servers, or the system's read now (on the starting thread, not an event loop). Netty's
     * platform default would re-read {@code /etc/resolv.conf} every five minutes on whichever thread asks, here an
     * event loop; a container's file does not change while it runs.
     */
    private static DnsServerAddressStreamProvider nameServers(DnsConfig config) {
        if (config.systemNameservers()) {
            try {
                DnsServerAddressStreamProvider system =
                        new UnixResolverDnsServerAddressStreamProvider(RESOLV_CONF, ETC_RESOLVER);
                if (system.nameServerAddressStream("").next() != null) {
                    return system;
                }
            } catch (IOException | RuntimeException unreadable) {
                // below: what the JDK's configuration says, as Netty does when the file cannot be read
            }
            return DefaultDnsServerAddressStreamProvider.INSTANCE;
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        for (HostPort hp : config.nameservers()) {
            servers.add(new InetSocketAddress(hp.ipLiteral(), hp.port()));
        }
        return new SequentialDnsServerAddressStreamProvider(servers);
    }

    /** The event loop that runs every query and every callback. */
    public EventLoop loop() {
        return loop;
    }

    /** Resolves {@code host} and calls {@code then} with the answer, on {@link #loop()}. Call on that loop. */
    public void resolve(String host, Consumer<DnsAnswer> then) {
        query(host, DnsRecordType.A, then);
    }

    private void query(String host, DnsRecordType type, Consumer<DnsAnswer> then) {
        resolver.resolveAll(new DefaultDnsQuestion(host, type)).addListener((Future<List<DnsRecord>> f) -> {
            DnsAnswer answer = null;
            Throwable cause = f.cause();
            if (f.isSuccess()) {
                answer = decode(host, f.getNow());
            }
            if (answer == null && type == DnsRecordType.A && noRecords(cause)) {
                query(host, DnsRecordType.AAAA, then); // the name exists (or may): an IPv6-only server
                return;
            }
            then.accept(answer != null ? answer : DnsAnswer.failed(describe(cause)));
        });
    }

    /** The addresses of the {@code A}/{@code AAAA} records with their shortest TTL; null when there are none. */
    private static DnsAnswer decode(String host, List<DnsRecord> records) {
        try {
            List<InetAddress> addresses = new ArrayList<>();
            long ttl = Long.MAX_VALUE;
            for (DnsRecord r : records) {
                if (!(r instanceof DnsRawRecord raw)) {
                    continue;
                }
                ByteBuf content = raw.content();
                int n = content.readableBytes();
                if ((r.type() == DnsRecordType.A && n == 4) || (r.type() == DnsRecordType.AAAA && n == 16)) {
                    byte[] bytes = new byte[n];
                    content.getBytes(content.readerIndex(), bytes);
                    try {
                        InetAddress a = InetAddress.getByAddress(host, bytes); // wraps the bytes, no lookup
                        if (!addresses.contains(a)) {
                            addresses.add(a);
                        }
                        ttl = Math.min(ttl, r.timeToLive());
                    } catch (UnknownHostException impossible) {
                        // only thrown for a wrong length, checked above
                    }
                }
            }
            return addresses.isEmpty() ? null : DnsAnswer.found(addresses, ttl);
        } finally {
            for (DnsRecord r : records) {
                ReferenceCountUtil.release(r);
            }
        }
    }

    /**
     * The name server answered, without an error code, with no record of the type asked: Netty then fails with an
     * {@link UnknownHostException} that has no other cause (an error code, a timeout or an I/O error would be one).
     */
    private static boolean noRecords(Throwable cause) {
        if (cause == null) {
            return true;
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!(t instanceof UnknownHostException)) {
                return false;
            }
        }
        return true;
    }

    private String describe(Throwable cause) {
        DnsResponseCode code = errorCode(cause);
        if (code != null) {
            if (code.intValue() == DnsResponseCode.NXDOMAIN.intValue()) {
                return "NXDOMAIN";
            }
            if (code.intValue() == DnsResponseCode.SERVFAIL.intValue()) {
                return "SERVFAIL";
            }
            return "name server answered " + code;
        }
        if (timedOut(cause)) {
            return "no answer within " + timeoutText;
        }
        if (noRecords(cause)) {
            return "no A or AAAA records";
        }
        String m = cause.getMessage();
        return m == null ? cause.getClass().getSimpleName() : m;
    }

    private static DnsResponseCode errorCode(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DnsErrorCauseException e) {
                return e.getCode();
            }
        }
        return null;
    }

    private static boolean timedOut(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DnsNameResolverTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Stops the resolver; queries under way end with a failure nobody hears about (callers stopped listening). */
    @Override
    public void close() {
        if (loop.inEventLoop() || loop.isShuttingDown()) {
            resolver.close();
            return;
        }
        try {
            loop.execute(resolver::close);
        } catch (RejectedExecutionException stopping) {
            resolver.close(); // the loop stopped in between and takes its channels down with it
        }
    }
}
