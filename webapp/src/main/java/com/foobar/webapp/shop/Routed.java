package com.foobar.webapp.shop;

import com.foobar.dbrouter.ConsistencyToken;

/**
 * What a database call returned, which node served it ({@code primary}, {@code replica-1}, ...) and, after a
 * write, the consistency token that makes the caller's next read see it.
 */
public record Routed<T>(T value, String node, ConsistencyToken token) {
}
