package com.foobar.balancer.lb;

import java.net.Inet4Address;
import java.net.InetAddress;

/** 64-bit hashing without allocation (FNV-1a over chars, finished with a murmur3 avalanche). */
final class Hashing {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashing() {
    }

    static long hash(CharSequence s) {
        long h = FNV_OFFSET;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            h = (h ^ (c & 0xff)) * FNV_PRIME;
            h = (h ^ (c >>> 8)) * FNV_PRIME;
        }
        return mix(h);
    }

    static long hash(InetAddress address) {
        if (address instanceof Inet4Address) {
            return mix(address.hashCode() & 0xffffffffL); // an IPv4 address's hash code is the address itself
        }
        byte[] b = address.getAddress(); // IPv6: a 16-byte copy
        long h = FNV_OFFSET;
        for (byte x : b) {
            h = (h ^ (x & 0xff)) * FNV_PRIME;
        }
        return mix(h);
    }

    /** murmur3's fmix64: spreads every input bit over the output. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
