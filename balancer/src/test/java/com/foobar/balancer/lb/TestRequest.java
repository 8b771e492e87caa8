package com.foobar.balancer.lb;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/** A request context built from plain values. */
record TestRequest(InetAddress clientAddress, String path, Map<String, String> headers, Map<String, String> cookies)
        implements RequestContext {

    static TestRequest fromIp(String ip) {
        try {
            return new TestRequest(InetAddress.getByName(ip), "/", Map.of(), Map.of());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static TestRequest withHeader(String name, String value) {
        return new TestRequest(null, "/", Map.of(name.toLowerCase(), value), Map.of());
    }

    static TestRequest withPath(String path) {
        return new TestRequest(null, path, Map.of(), Map.of());
    }

    static TestRequest withCookie(String name, String value) {
        return new TestRequest(null, "/", Map.of(), Map.of(name, value));
    }

    @Override
    public String header(CharSequence name) {
        return headers.get(name.toString().toLowerCase());
    }

    @Override
    public String cookie(String name) {
        return cookies.get(name);
    }
}
