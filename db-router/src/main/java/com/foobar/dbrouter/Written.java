package com.foobar.dbrouter;

/**
 * What {@link RoutingDataSource#write} returns: the work's value and the token that lets later reads, on any
 * instance, see this write.
 */
public record Written<T>(T value, ConsistencyToken token) {
}
