package com.foobar.webapp.shop;

import java.util.Objects;

/** A validated product to create. */
public record NewProduct(String name, String description, long priceCents, int stock) {
    public NewProduct {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }
}
