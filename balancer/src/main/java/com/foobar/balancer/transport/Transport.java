package com.foobar.balancer.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The socket transport: native epoll when the platform has it, NIO otherwise. */
public final class Transport {

    private final String name;
    private final boolean epoll;

    private Transport(String name, boolean epoll) {
        this.name = name;
        this.epoll = epoll;
    }

    /** Epoll when available (Linux), else NIO. {@code -Dbalancer.transport=nio} forces NIO. */
    public static Transport best() {
        if (!"nio".equalsIgnoreCase(System.getProperty("balancer.transport")) && Epoll.isAvailable()) {
            return new Transport("epoll", true);
        }
        return new Transport("nio", false);
    }

    public String name() {
        return name;
    }

    public EventLoopGroup newGroup(int threads, String threadPrefix) {
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true), factory);
    }

    public Class<? extends ServerChannel> serverChannelType() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends Channel> channelType() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
