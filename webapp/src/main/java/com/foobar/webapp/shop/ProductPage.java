package com.foobar.webapp.shop;

import java.util.List;

/** One page of a product search. {@code page} is 1-based. */
public record ProductPage(List<Product> items, int page, int size, long total, String q) {
    public ProductPage {
        items = List.copyOf(items);
    }
}
