package com.foobar.webapp.shop;

import java.sql.SQLException;

/** An order named a product that does not exist; nothing was written. */
public final class ProductNotFoundException extends SQLException {
    private static final long serialVersionUID = 1L;

    private final long productId;

    ProductNotFoundException(long productId) {
        super("product " + productId + " does not exist");
        this.productId = productId;
    }

    public long productId() {
        return productId;
    }
}
