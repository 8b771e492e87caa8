package com.foobar.webapp.shop;

import java.time.Instant;

/** An order placed by a visitor, with the product's name and price as they were when it was placed. */
public record Order(long id, long productId, String productName, int quantity, long unitPriceCents,
                    long totalCents, String servedBy, Instant createdAt) {
}
