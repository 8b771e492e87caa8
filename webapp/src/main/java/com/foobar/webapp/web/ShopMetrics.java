package com.foobar.webapp.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/** The {@code webapp_} business and HTTP metrics. */
final class ShopMetrics {

    private static final java.util.Set<String> KNOWN_METHODS =
            java.util.Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final MeterRegistry registry;
    private final Counter ordersPlaced;
    private final Counter productsCreated;
    private final Counter visitorsIssued;

    ShopMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.ordersPlaced = Counter.builder("webapp.orders.placed").description("Orders placed").register(registry);
        this.productsCreated = Counter.builder("webapp.products.created").description("Products created")
                .register(registry);
        this.visitorsIssued = Counter.builder("webapp.visitors.issued")
                .description("Visitor cookies issued to first-time callers").register(registry);
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

    /** A write answered 503 because no single database node took writes; {@code reason} is the router's tag. */
    void writeRefused(String reason) {
        Counter.builder("webapp.writes.refused")
                .description("Writes answered 503 because no single database node took writes, by the db-router's reason")
                .tag("reason", reason).register(registry).increment();
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
