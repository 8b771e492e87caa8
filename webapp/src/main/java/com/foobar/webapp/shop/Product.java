package com.foobar.webapp.shop;

/** A product of the catalogue; prices are in cents so that no float ever touches money. */
public record Product(long id, String name, String description, long priceCents, int stock) {
}
