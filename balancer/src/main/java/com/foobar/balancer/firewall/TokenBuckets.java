package com.foobar.balancer.firewall;

import com.foobar.balancer.config.RateLimitConfig;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per client address for a listener. A bucket that has refilled completely carries no state worth
 * keeping, so when many addresses are tracked the full ones are dropped: memory stays bounded under a spray of
 * source addresses.
 */
final class TokenBuckets {

    /** Past this many tracked addresses, full buckets are swept out. */
    static final int SWEEP_THRESHOLD = 65_536;

    private final double tokensPerNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private final ConcurrentMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    TokenBuckets(RateLimitConfig config, LongSupplier nanoClock) {
        this.tokensPerNano = config.requestsPerSecond() / 1e9;
        this.burst = config.burst();
        this.nanoClock = nanoClock;
    }

    /**
     * Takes a token for {@code client}.
     *
     * @return 0 when a token was taken, else the nanoseconds until the next token is due
     */
    long tryTake(InetAddress client) {
        long now = nanoClock.getAsLong();
        Bucket b = buckets.get(client);
        if (b == null) {
            if (buckets.size() >= SWEEP_THRESHOLD) {
                sweep(now);
            }
            b = buckets.computeIfAbsent(client, k -> new Bucket(burst, now));
        }
        return b.take(now, tokensPerNano, burst);
    }

    private void sweep(long now) {
        buckets.values().removeIf(b -> b.fullAt(now, tokensPerNano, burst));
    }

    int tracked() {
        return buckets.size();
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }

        synchronized long take(long now, double perNano, double burst) {
            refill(now, perNano, burst);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
        }

        synchronized boolean fullAt(long now, double perNano, double burst) {
            refill(now, perNano, burst);
            return tokens >= burst;
        }

        private void refill(long now, double perNano, double burst) {
            if (now > last) {
                tokens = Math.min(burst, tokens + (now - last) * perNano);
                last = now;
            }
        }
    }
}
