package com.foobar.webapp.shop;

import java.sql.SQLException;

/** An order asked for more than is in stock; the transaction was rolled back. */
public final class InsufficientStockException extends SQLException {
    private static final long serialVersionUID = 1L;

    private final long productId;
    private final int available;

    InsufficientStockException(long productId, int requested, int available) {
        super("only " + available + " of product " + productId + " in stock, " + requested + " requested");
        this.productId = productId;
        this.available = available;
    }

    public long productId() {
        return productId;
    }

    public int available() {
        return available;
    }
}
