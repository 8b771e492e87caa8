package com.foobar.balancer.lb;


import java.net.InetAddress;

/** Reads the consistent-hash key from a request, as {@code hash_key} says; parsed once per selector. */
final class HashKeyExtractor {
    private enum Source { SOURCE_IP, PATH, HEADER, COOKIE }

    private final Source source;
    private final String name;

    private HashKeyExtractor(Source source, String name) {
        this.source = source;
        this.name = name;
    }

    static HashKeyExtractor of(String hashKey) {
        if (hashKey == null || hashKey.equals(HashKeys.SOURCE_IP)) {
            return new HashKeyExtractor(Source.SOURCE_IP, null);
        }
        if (hashKey.equals(HashKeys.PATH)) {
            return new HashKeyExtractor(Source.PATH, null);
        }
        if (hashKey.startsWith(HashKeys.HEADER_PREFIX)) {
            return new HashKeyExtractor(Source.HEADER, hashKey.substring(HashKeys.HEADER_PREFIX.length()));
        }
        if (hashKey.startsWith(HashKeys.COOKIE_PREFIX)) {
            return new HashKeyExtractor(Source.COOKIE, hashKey.substring(HashKeys.COOKIE_PREFIX.length()));
        }
        throw new IllegalArgumentException("\"" + hashKey + "\" is not a hash key");
    }

    /**
     * The key's hash. A request without the key (no such header or cookie) hashes by source address instead, so it is
     * still sticky; with no address either, the caller gets {@code fallback}.
     */
    long hash(RequestContext ctx, long fallback) {
        String key = switch (source) {
            case PATH -> ctx.path();
            case HEADER -> ctx.header(name);
            case COOKIE -> ctx.cookie(name);
            case SOURCE_IP -> null;
        };
        if (key != null) {
            return Hashing.hash(key);
        }
        InetAddress client = ctx.clientAddress();
        return client == null ? fallback : Hashing.hash(client);
    }
}
