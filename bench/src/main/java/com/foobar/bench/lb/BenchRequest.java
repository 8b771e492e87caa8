package com.foobar.bench.lb;

import com.foobar.balancer.lb.RequestContext;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** A request from one of many clients, for the hash-based algorithms; everything is built before measuring. */
final class BenchRequest implements RequestContext {

    private final InetAddress client;
    private final String path;

    BenchRequest(int index) {
        try {
            this.client = InetAddress.getByAddress(new byte[] {10, (byte) (index >> 16), (byte) (index >> 8),
                    (byte) index});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
        this.path = "/product/" + index;
    }

    @Override
    public InetAddress clientAddress() {
        return client;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String header(CharSequence name) {
        return null;
    }

    @Override
    public String cookie(String name) {
        return null;
    }
}
