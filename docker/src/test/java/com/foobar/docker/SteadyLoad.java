package com.foobar.docker;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * GETs through a balancer from a few threads, without pause, until stopped; bounded in count and time. Counts the
 * answers by {@code X-Served-By}, and anything but a 200 (or an I/O error) as a failure, with a few samples.
 */
final class SteadyLoad extends BoundedLoad {
    private final AtomicLong total = new AtomicLong();
    private final Map<String, AtomicLong> servedBy = new ConcurrentHashMap<>();

    /** {@code request} makes each GET (e.g. /api/products with the shop's Host header). */
    SteadyLoad(int concurrency, Duration maxTime, long maxRequests, Supplier<HttpRequest> request) {
        this(concurrency, maxTime, maxRequests, request, HttpClient.newBuilder());
    }

    /** As above, with a client made from {@code client} (its TLS trust, its HTTP version). */
    SteadyLoad(int concurrency, Duration maxTime, long maxRequests, Supplier<HttpRequest> request,
            HttpClient.Builder client) {
        super(concurrency);
        long deadline = System.nanoTime() + maxTime.toNanos();
        HttpClient loadClient = client.connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < concurrency; i++) {
            threads.submit(() -> {
                while (running() && System.nanoTime() < deadline && total.get() < maxRequests) {
                    try {
                        HttpResponse<String> r = loadClient.send(request.get(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            servedBy.computeIfAbsent(r.headers().firstValue("X-Served-By").orElse("?"),
                                    k -> new AtomicLong()).incrementAndGet();
                        } else {
                            failed(r.statusCode() + " " + r.body().lines().findFirst().orElse(""));
                        }
                    } catch (IOException e) {
                        failed(e.toString());
                    } catch (InterruptedException e) {
                        return;
                    }
                    total.incrementAndGet();
                }
            });
        }
    }

    long servedBy(String server) {
        AtomicLong n = servedBy.get(server);
        return n == null ? 0 : n.get();
    }

    long total() {
        return total.get();
    }

}
