package com.foobar.balancer.upstream;

import com.foobar.balancer.config.HostPort;
import com.foobar.balancer.config.ServerConfig;
import com.foobar.balancer.discovery.DnsAnswer;
import com.foobar.balancer.discovery.NamedTarget;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A pool's {@code discover} name: every address its records give is a server of the pool (Docker's
 * {@code tasks.<service>}, a Kubernetes headless service). The name is asked on the pool's schedule by the
 * {@link com.foobar.balancer.discovery.NameRefresher}, like a server's; each answer whose set of addresses differs from
 * the last is handed to {@code changed} (off the resolver's loop: applying it takes the upstreams' lock). A failed
 * query keeps the servers found last (hold), as a server keeps its last address.
 */
final class PoolDiscovery extends NamedTarget {
    /** By their bytes, so that the servers are listed in the same order at every answer. */
    private static final Comparator<InetAddress> BY_BYTES = Comparator.comparing(InetAddress::getAddress,
            Arrays::compareUnsigned);

    private final String pool;
    private final Runnable changed;
    /** The addresses of the last answer that had any, in address order; null before the first one. */
    private volatile List<InetAddress> found;

    PoolDiscovery(String pool, HostPort name, Runnable changed) {
        super(name);
        this.pool = pool;
        this.changed = changed;
    }

    String pool() {
        return pool;
    }

    @Override
    public void answered(DnsAnswer answer, int port) {
        resolved(resolved().next(answer, port));
        if (!answer.ok()) {
            return; // hold: the servers found last stay (their health checks judge them)
        }
        TreeSet<InetAddress> sorted = new TreeSet<>(BY_BYTES);
        sorted.addAll(answer.addresses());
        List<InetAddress> now = List.copyOf(sorted);
        if (!now.equals(found)) {
            found = now;
            changed.run();
        }
    }

    /** The servers the last answer gives: one per address, named {@code <pool>@<address>}, at the name's port. */
    List<ServerConfig> servers() {
        List<InetAddress> now = found;
        List<ServerConfig> servers = new ArrayList<>();
        if (now != null) {
            for (InetAddress a : now) {
                String host = NetUtil.toAddressString(a);
                servers.add(new ServerConfig(pool + "@" + host, new HostPort(host, address().port()),
                        ServerConfig.DEFAULT_WEIGHT, false));
            }
        }
        return servers;
    }
}
