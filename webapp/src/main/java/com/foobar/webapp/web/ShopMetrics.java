package com.foobar.webapp.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import com.foobar.dbrouter.WriteRefusal;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The {@code webapp_} business and HTTP metrics. */
final class ShopMetrics {

    private static final java.util.Set<String> KNOWN_METHODS =
            java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final MeterRegistry registry;
    private final Counter ordersPlaced;
    private final Counter productsCreated;
    private final Counter visitorsIssued;
    private final Map<WriteRefusal, Counter> writesRefused = new EnumMap<>(WriteRefusal.class);

    ShopMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.ordersPlaced = Counter.builder("webapp.orders.placed").description("Orders placed").register(registry);
        this.productsCreated = Counter.builder("webapp.products.created").description("Products created")
                .register(registry);
        this.visitorsIssued = Counter.builder("webapp.visitors.issued")
                .description("Visitor cookies issued to first-time callers").register(registry);
        // Registered at zero, one per reason, so the dashboard and the alert on this series see 0 and not "no data"
        // before the first refusal (a counter that appears only when it first counts is invisible to rate()).
        for (WriteRefusal r : WriteRefusal.values()) {
            writesRefused.put(r, Counter.builder("webapp.writes.refused")
                    .description("Writes answered 503 because no single database node took writes, by the db-router's reason")
                    .tag("reason", r.tag()).register(registry));
        }
    }

    void orderPlaced() {
        ordersPlaced.increment();
    }

    void orderRejected(String reason) {
        registry.counter("webapp.orders.rejected", "reason", reason).increment();
    }

    void productCreated() {
        productsCreated.increment();
    }

    void visitorIssued() {
        visitorsIssued.increment();
    }

    /** A write answered 503 because no single database node took writes, for the router's reason. */
    void writeRefused(WriteRefusal reason) {
        writesRefused.get(reason).increment();
    }

    /** Requests answered so far (every route and status); counts only grow. */
    long requests() {
        return (long) registry.find("webapp.http.requests").timers().stream().mapToLong(Timer::count).sum();
    }

    /** Requests answered with a 5xx so far. */
    long serverErrors() {
        return registry.find("webapp.http.requests").timers().stream()
                .filter(t -> t.getId().getTag("status").startsWith("5")).mapToLong(Timer::count).sum();
    }

    /** {@code route} is the servlet's name, so the label has a handful of values whatever the paths requested. */
    void request(String method, String route, int status, Duration took) {
        Timer.builder("webapp.http.requests")
                .description("HTTP requests served, by route and status")
                .tag("method", KNOWN_METHODS.contains(method) ? method : "OTHER")
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(took);
    }
}
