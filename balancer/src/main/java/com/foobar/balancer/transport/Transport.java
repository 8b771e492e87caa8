package com.foobar.balancer.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Function;

/**
 * The socket transport. By default the fastest the platform allows: io_uring (Linux 5.14+ where the kernel or a
 * seccomp profile does not forbid it), then epoll (Linux), then NIO. {@code -Dbalancer.transport=io_uring|epoll|nio}
 * asks for one; asking for one the platform lacks fails the start instead of quietly measuring another.
 */
public final class Transport {

    /** The system property that picks the transport. */
    public static final String PROPERTY = "balancer.transport";

    /** The property's default: the best the platform has. */
    public static final String AUTO = "auto";

    enum Kind {
        IO_URING("io_uring"), EPOLL("epoll"), NIO("nio");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private final Kind kind;
    /** Picked by {@link #AUTO}: may fall back when the platform refuses it at start. */
    private final boolean auto;

    private Transport(Kind kind) {
        this(kind, false);
    }

    Transport(Kind kind, boolean auto) {
        this.kind = kind;
        this.auto = auto;
    }

    /** The transport {@code -Dbalancer.transport} asks for, {@link #AUTO} when it is not set. */
    public static Transport best() {
        return named(System.getProperty(PROPERTY, AUTO));
    }

    /** @throws TransportUnavailableException for a name that is not a transport, or one this platform lacks */
    public static Transport named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case AUTO:
                // io_uring first: on the small-keepalive and upload benchmarks it spends less time in the kernel
                // than epoll (one io_uring_enter submits a whole loop's reads and writes).
                if (IoUring.isAvailable()) {
                    return new Transport(Kind.IO_URING, true);
                }
                return Epoll.isAvailable() ? new Transport(Kind.EPOLL, true) : new Transport(Kind.NIO, true);
            case "io_uring":
            case "io-uring":
            case "iouring":
                if (!IoUring.isAvailable()) {
                    throw new TransportUnavailableException(PROPERTY + ": io_uring is not available here ("
                            + reason(IoUring.unavailabilityCause()) + ")");
                }
                return new Transport(Kind.IO_URING);
            case "epoll":
                if (!Epoll.isAvailable()) {
                    throw new TransportUnavailableException(PROPERTY + ": epoll is not available here ("
                            + reason(Epoll.unavailabilityCause()) + ")");
                }
                return new Transport(Kind.EPOLL);
            case "nio":
                return new Transport(Kind.NIO);
            default:
                throw new TransportUnavailableException(PROPERTY + ": \"" + name
                        + "\" is not a transport: use auto, io_uring, epoll or nio");
        }
    }

    /** The transport {@code group} was made with: a channel must match its event loop's I/O type. */
    public static Transport of(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            if (io.isIoType(IoUringIoHandler.class)) {
                return new Transport(Kind.IO_URING);
            }
            if (io.isIoType(EpollIoHandler.class)) {
                return new Transport(Kind.EPOLL);
            }
        }
        return new Transport(Kind.NIO);
    }

    /** The innermost cause's message: Netty wraps a failed ring in "failed to create a child event loop". */
    private static String reason(Throwable cause) {
        if (cause == null) {
            return "no reason given";
        }
        Throwable t = cause;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** {@code io_uring}, {@code epoll} or {@code nio}, as the startup table prints it. */
    public String name() {
        return kind.label;
    }

    /**
     * A group of {@code threads} event loops of this transport. An {@link #AUTO} pick that the platform refuses here
     * (an io_uring ring beyond the locked-memory limit, say: availability is probed with a small ring) falls back to
     * the next transport, says so on {@code warnings}, and the group's own transport ({@link #of}) tells which it got.
     */
    public EventLoopGroup newGroup(int threads, String threadPrefix, PrintStream warnings) {
        return newGroup(threads, threadPrefix, warnings, Transport::factory);
    }

    /** As {@link #newGroup(int, String, PrintStream)}, warning on standard error. */
    public EventLoopGroup newGroup(int threads, String threadPrefix) {
        return newGroup(threads, threadPrefix, System.err);
    }

    EventLoopGroup newGroup(int threads, String threadPrefix, PrintStream warnings,
            Function<Kind, IoHandlerFactory> factories) {
        Kind k = kind;
        while (true) {
            try {
                return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true),
                        factories.apply(k));
            } catch (RuntimeException | LinkageError e) {
                Kind next = k == Kind.IO_URING && Epoll.isAvailable() ? Kind.EPOLL : Kind.NIO;
                if (!auto || k == Kind.NIO) {
                    throw new TransportUnavailableException(PROPERTY + ": " + k.label + " could not start here ("
                            + reason(e) + ")");
                }
                warnings.println("warning: " + k.label + " could not start here (" + reason(e) + "); using "
                        + next.label + " (-D" + PROPERTY + "=" + next.label + " skips the attempt)");
                k = next;
            }
        }
    }

    static IoHandlerFactory factory(Kind kind) {
        return switch (kind) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    public Class<? extends ServerChannel> serverChannelType() {
        return switch (kind) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public Class<? extends SocketChannel> channelType() {
        return switch (kind) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /** The UDP channel of this transport, for DNS queries on the same event loops (a channel must match its loop). */
    public Class<? extends DatagramChannel> datagramChannelType() {
        return switch (kind) {
            case IO_URING -> IoUringDatagramChannel.class;
            case EPOLL -> EpollDatagramChannel.class;
            case NIO -> NioDatagramChannel.class;
        };
    }

    @Override
    public String toString() {
        return kind.label;
    }
}
