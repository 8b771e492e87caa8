package com.foobar.chaos.load;

/** What a request of the load does: a read (GET of a page or the product API) or a write (an order). */
public enum Operation {
    READ,
    WRITE
}
