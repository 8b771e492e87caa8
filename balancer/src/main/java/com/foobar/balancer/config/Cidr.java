package com.foobar.balancer.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * An address block such as {@code 10.0.0.0/8}, {@code ::1/128} or a single address ({@code 192.0.2.7}). Matching
 * compares the first {@code prefix} bits; an IPv4 block never matches an IPv6 address and vice versa, except that
 * IPv4-mapped IPv6 addresses are read as IPv4 by the JDK already.
 */
public record Cidr(byte[] network, int prefix) {

    public static final List<Cidr> LOOPBACK = List.of(parse("127.0.0.0/8"), parse("::1/128"));

    public Cidr {
        network = network.clone();
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix /" + prefix + " is out of range");
        }
        mask(network, prefix);
    }

    /**
     * Parses {@code address/prefix} or a bare address (a block of one). Only literals are accepted: a host name here
     * would make the firewall depend on DNS.
     *
     * @throws IllegalArgumentException {@code "x" is not an address or CIDR block like 10.0.0.0/8}
     */
    public static Cidr parse(String text) {
        String t = text == null ? "" : text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = literal(addr);
        if (bytes == null) {
            throw notCidr(text);
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw notCidr(text);
            }
            prefix = Integer.parseInt(p);
            if (prefix > bytes.length * 8) {
                throw new IllegalArgumentException('"' + text + "\" has a prefix longer than " + bytes.length * 8);
            }
        }
        return new Cidr(bytes, prefix);
    }

    private static IllegalArgumentException notCidr(String text) {
        return new IllegalArgumentException('"' + text + "\" is not an address or CIDR block like 10.0.0.0/8");
    }

    private static byte[] literal(String s) {
        if (s.isEmpty()) {
            return null;
        }
        boolean v6 = s.indexOf(':') >= 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || (v6 && (c == ':' || (c >= 'a' && c <= 'f')
                    || (c >= 'A' && c <= 'F')));
            if (!ok) {
                return null;
            }
        }
        if (!v6 && s.chars().filter(c -> c == '.').count() != 3) {
            return null;
        }
        try {
            // Only digits, dots, colons and hex reach here, so this never does a DNS lookup.
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static void mask(byte[] b, int prefix) {
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] &= (byte) (0xFF << (8 - bits));
        }
    }

    /** Whether {@code address} lies in this block. */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int m = 0xFF << (8 - rest);
        return (a[full] & m) == (network[full] & 0xFF & m);
    }

    /** Whether any block of {@code blocks} contains {@code address}. */
    public static boolean anyContains(List<Cidr> blocks, InetAddress address) {
        for (int i = 0, n = blocks.size(); i < n; i++) {
            if (blocks.get(i).contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        try {
            String host = InetAddress.getByAddress(network).getHostAddress();
            return host + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
