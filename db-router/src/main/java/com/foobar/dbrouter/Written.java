package com.foobar.dbrouter;

/**
 * What {@link RoutingDataSource#write} returns: the work's value and the token that lets later reads, on any
 * instance, see this write. The token is null only when the primary's position could not be read (the write is
 * committed all the same); a later read without it may merely be stale.
 */
public record Written<T>(T value, ConsistencyToken token) {
}
