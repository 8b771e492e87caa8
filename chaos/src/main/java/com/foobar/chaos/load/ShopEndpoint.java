package com.foobar.chaos.load;

import java.net.InetSocketAddress;

/**
 * Where the shop is reached: the host name a browser would use ({@code www.foobar.com}, so the balancer routes it and
 * the Host header is the real one) and the address its name stands for here, as {@code curl --resolve} gives it.
 *
 * @param host    the name in the URL and the Host header
 * @param address where connections go: the balancer's public listener, or a virtual IP
 */
public record ShopEndpoint(String host, InetSocketAddress address) {

    public String baseUrl() {
        return "http://" + host + ":" + address.getPort();
    }

    @Override
    public String toString() {
        return baseUrl() + " -> " + address.getHostString() + ":" + address.getPort();
    }
}
