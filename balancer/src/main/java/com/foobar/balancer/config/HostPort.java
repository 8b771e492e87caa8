package com.foobar.balancer.config;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A host (name, IPv4 literal or bracketless IPv6 literal) and a port. Port 0 is allowed here because binds use it for
 * an ephemeral port; server addresses are checked for a real port by the loader.
 */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
    }

    /** The ports something can listen on: 0 asks the system for any free one. */
    public static final String LISTEN_PORTS = "0-65535, 0 for any free port";
    /** The ports something can be reached on. */
    public static final String CONNECT_PORTS = "1-65535";

    /**
     * Parses {@code host:port} or {@code [v6]:port} where something listens: port 0 allowed.
     *
     * @throws IllegalArgumentException with the message {@code "<text>" is not host:port}, or
     *                                  {@code "<text>": "<port>" is not a port number (<range>)}
     */
    public static HostPort parse(String text) {
        return parse(text, true);
    }

    /** As {@link #parse(String)}, for an address to connect to: port 0 is refused. */
    public static HostPort parseConnectable(String text) {
        return parse(text, false);
    }

    private static HostPort parse(String text, boolean listen) {
        if (text == null) {
            throw new IllegalArgumentException("null is not host:port");
        }
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw notHostPort(text);
            }
            host = text.substring(1, close);
            portText = text.substring(close + 2);
            if (!isIpv6(host)) {
                throw notHostPort(text);
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw notHostPort(text);
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
            if (!isHostName(host)) {
                throw notHostPort(text);
            }
        }
        if (portText.isEmpty() || portText.length() > 5) {
            throw notHostPort(text);
        }
        int port = 0;
        for (int i = 0; i < portText.length(); i++) {
            char c = portText.charAt(i);
            if (c < '0' || c > '9') {
                throw notHostPort(text);
            }
            port = port * 10 + (c - '0');
        }
        if (port > 65535 || (port == 0 && !listen)) {
            throw new IllegalArgumentException('"' + text + "\": \"" + portText + "\" is not a port number ("
                    + (listen ? LISTEN_PORTS : CONNECT_PORTS) + ")");
        }
        return new HostPort(host, port);
    }

    /** Whether the host is an IPv4 or IPv6 literal rather than a name that DNS has to answer for. */
    public boolean isIpLiteral() {
        return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
    }

    /** The host as an address when it is an IP literal (no lookup is ever made), else null. */
    public InetAddress ipLiteral() {
        return isIpLiteral() ? NetUtil.createInetAddressFromIpAddressString(host) : null;
    }

    private static IllegalArgumentException notHostPort(String text) {
        return new IllegalArgumentException('"' + text + "\" is not host:port");
    }

    private static boolean isHostName(String host) {
        if (host.length() > 253 || host.startsWith(".") || host.startsWith("-")) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String host) {
        if (host.isEmpty() || host.indexOf(':') < 0) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9')
                    || c == ':' || c == '.' || c == '%';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
